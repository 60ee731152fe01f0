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
        model_dir = resolve_model(model)
    except (ConfigError, ModelError) as exc:
        raise click.ClickException(str(exc))
    threads = max(1, (os.cpu_count() or 1) // max(1, workers))
    overrides = {"model": str(model_dir), "device": device, "compute_type": compute_type, "cpu_threads": threads}
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
        with ScanProgressBar("scan") as bar:
            progress = run_scan(db, settings, workers=workers, arguments=arguments, on_progress=bar.update, **sources)
    except ScanError as exc:
        raise click.ClickException(str(exc))
    print_summary("callqa scan", progress, str(db_path))
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


# --- self-check: sampling, yearly report, detector monitoring (pipeline/selfcheck/) ---------

DB_OPTION = click.option(
    "--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False), help="callqa database (qa.db)."
)
CONFIG_OPTION = click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
                             help="Settings file with the keys to change (default: callqa.yaml).")


@cli.command()
@DB_OPTION
@click.option("--year", type=int, help="Sample the ok calls started in this year.")
@click.option("--size", type=click.IntRange(min=1), help="Number of calls to sample.")
@click.option("--margin", type=click.FloatRange(0, 1, min_open=True, max_open=True),
              help="Instead of --size: margin of error for a proportion, e.g. 0.03.")
@click.option("--confidence", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.95,
              show_default=True, help="Confidence level for --margin.")
@click.option("--expected-rate", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.5,
              show_default=True, help="Expected violation rate for --margin (0.5 is the safe choice).")
@click.option("--by", default="", help="Strata, comma-separated: agency, agent, month, flagged.")
@click.option("--allocation", type=click.Choice(["proportional", "equal"]), default="proportional", show_default=True)
@click.option("--oversample-flagged", type=float, default=1.0, show_default=True,
              help="Weight of calls with a machine finding (adds the flagged stratum).")
@click.option("--seed", type=int, help="Random seed; the same seed and calls give the same sample. Default: a new one, recorded.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write the sample list as .xlsx or .csv.")
@click.option("--created-by", default=None, help="Recorded as the sample's author (default: the login name).")
@click.option("--verify", "verify_id", type=int, help="Instead of sampling: draw stored sample ID again and compare.")
def sample(db_path, year, size, margin, confidence, expected_rate, by, allocation, oversample_flagged, seed, out,
           created_by, verify_id):
    """Draw a reproducible stratified random sample of a year's calls for review, and record it.

    \b
    callqa sample --db qa.db --year 2026 --size 400 --by agency,month --seed 20261122 --out sample.xlsx
    callqa sample --db qa.db --year 2026 --margin 0.03 --by agency
    callqa sample --db qa.db --verify 1
    """
    import getpass
    import secrets

    from rich.console import Console
    from rich.table import Table

    from .selfcheck import sampling

    db = store.open_db(db_path)
    console = Console()
    try:
        if verify_id is not None:
            _verify_sample(db, verify_id)
            return
        if year is None:
            raise click.UsageError("give --year (or --verify ID)")
        if size is not None and margin is not None:
            raise click.UsageError("give --size or --margin, not both")
        if out and Path(out).suffix.lower() not in sampling.EXPORT_FORMATS:
            raise click.UsageError(f"{out}: write the sample as .xlsx or .csv")
        plan = sampling.SamplingPlan(
            year=year, seed=seed if seed is not None else secrets.randbelow(2**31), size=size,
            by=tuple(part.strip() for part in by.split(",") if part.strip()), allocation=allocation,
            oversample_flagged=oversample_flagged, margin=margin, confidence=confidence, expected_rate=expected_rate,
        )
        drawn = sampling.draw_sample(db, plan)
        sample_id = sampling.record_sample(db, drawn, created_by or getpass.getuser())
        if out:
            sampling.write_sample(out, db, drawn)
    except sampling.SamplingError as exc:
        raise click.ClickException(str(exc)) from exc
    console.print(f"样本 {sample_id}：{drawn.size} 通（总体 {sum(s.population for s in drawn.strata)} 通，种子 {plan.seed}）",
                  soft_wrap=True)
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
    from .selfcheck import sampling

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
@DB_OPTION
@click.option("--year", type=int, required=True, help="Report on the ok calls started in this year.")
@click.option("--agency", help="Only this outsourced agency (its yearly evaluation).")
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="HTML file to write.")
@CONFIG_OPTION
def report(db_path, year, agency, out, config_path):
    """Write the yearly self-check report: one self-contained HTML file in Chinese.

    \b
    callqa report --db qa.db --year 2026 --out selfcheck-2026.html
    callqa report --db qa.db --year 2026 --agency 某某信用管理 --out agency.html
    """
    from .selfcheck.report import ReportError, write_report

    try:
        written = write_report(store.open_db(db_path), out, year, load_config(config_path), agency)
    except (ReportError, ConfigError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{out}: {written.calls} calls, {written.violating.k} violating ({written.violating.rate:.1%})")
    for warning in written.detector.warnings:
        click.echo(f"预警：{warning.message(written.detector.min_precision)}", err=True)


@cli.command()
@DB_OPTION
@click.option("--year", type=int, help="Only calls started in this year.")
@click.option("--agency", help="Only this agency's calls.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@CONFIG_OPTION
def monitor(db_path, year, agency, as_json, config_path):
    """Detector precision from reviewer verdicts, by category and month, and recall on samples.

    \b
    callqa monitor --db qa.db
    callqa monitor --db qa.db --year 2026 --json
    """
    import json

    from rich.console import Console

    from .selfcheck.monitor import monitor_with_config
    from .selfcheck.verdicts import Scope

    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise click.ClickException(str(exc))
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

    from .selfcheck.labels import category_label

    overall = Table(title="精确率 = 属实 / (属实 + 误报)，按类别")
    for name in ("类别", "属实", "误报", "存疑", "精确率", "95% 区间"):
        overall.add_column(name, justify="left" if name == "类别" else "right")
    for row in result.overall_precision():
        p = row.precision
        interval = "—" if p.rate is None else f"{p.low:.1%}–{p.high:.1%}"
        overall.add_row(category_label(row.category), str(row.confirmed), str(row.dismissed), str(row.uncertain),
                        _ratio(p), interval)
    console.print(overall)

    months = sorted({row.month for row in result.precision if row.month})
    categories = [row.category for row in result.overall_precision()]
    cells = {(row.category, row.month): row.precision for row in result.precision}
    by_month = Table(title="精确率，按月（属实/有结论）")
    by_month.add_column("月份")
    for category in categories:  # four characters name a category well enough in a narrow terminal
        by_month.add_column(category_label(category)[:4], justify="right")
    for month in months:
        by_month.add_row(month, *(
            f"{cells[c, month].rate:.0%}\n{cells[c, month].k}/{cells[c, month].n}"
            if (c, month) in cells and cells[c, month].rate is not None else "" for c in categories
        ))
    console.print(by_month)


def _print_recall(console, result) -> None:
    from rich.table import Table

    from .selfcheck.labels import category_label

    recall = Table(title=f"召回率 = 属实 / (属实 + 漏检)，已复核抽样通话 {result.reviewed_sample_calls} 通")
    for name in ("类别", "属实", "漏检", "召回率"):
        recall.add_column(name, justify="left" if name == "类别" else "right")
    for row in result.recall:
        recall.add_row(category_label(row.category), str(row.confirmed), str(row.missed), _ratio(row.recall))
    console.print(recall)
