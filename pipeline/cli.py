"""The ``callqa`` command line: click commands only. Each one parses options, calls the
library, and prints."""

from __future__ import annotations

import click

from . import __version__


@click.group()
@click.version_option(__version__, prog_name="callqa")
def cli():
    """callqa: offline quality inspection (质检) of debt-collection calls."""


# --- detection: detect, redetect, evaluate (pipeline.detect) --------------------------------


def _detection_config(config_path):
    from .config import ConfigError, load_config
    from .detect.lexicon import LexiconError
    from .detect.registry import default_registry

    try:
        config = load_config(config_path)
        default_registry(config)  # read and check the lexicons before the first call
    except (ConfigError, LexiconError) as exc:
        raise click.ClickException(str(exc)) from exc
    return config


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="settings file")
def detect(file, config_path):
    """Flag violations in the calls of FILE (.json or .jsonl): one JSON finding per line."""
    import json

    from .calls import read_calls
    from .detect import detect_calls

    config = _detection_config(config_path)
    try:
        results = list(read_calls(file))
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{file}: cannot read ({exc})") from exc
    for result in results:
        if result.error:
            click.echo(result.error, err=True)
    calls = [r.call for r in results if r.call]
    for start in range(0, len(calls), 256):
        for findings in detect_calls(calls[start : start + 256], config):
            for finding in findings:
                click.echo(json.dumps(finding.to_json(), ensure_ascii=False))


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False), help="the qa.db to update")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="settings file")
def redetect(db_path, config_path):
    """Run detection again on every stored call (after editing lexicons or thresholds)."""
    from collections import Counter

    from .detect import detect_calls
    from .store import load_call, ok_call_ids, open_db, replace_findings

    config = _detection_config(config_path)
    db = open_db(db_path)
    per_category: Counter = Counter()
    call_ids = ok_call_ids(db)
    for start in range(0, len(call_ids), 256):
        batch = call_ids[start : start + 256]
        for call_id, findings in zip(batch, detect_calls([load_call(db, i) for i in batch], config)):
            replace_findings(db, call_id, findings)
            per_category.update(f.category for f in findings)
    click.echo(f"{len(call_ids)} calls, {sum(per_category.values())} findings")
    for category, count in sorted(per_category.items()):
        click.echo(f"  {category}: {count}")


@cli.command()
@click.argument("labelled", type=click.Path(exists=True, path_type=str))
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="settings file")
@click.option("--tolerance", default=1, show_default=True, help="segments a finding may be off its label")
@click.option("--json", "as_json", is_flag=True, help="print the figures as JSON")
@click.option("--show-errors", is_flag=True, help="also list false alarms and misses")
def evaluate(labelled, config_path, tolerance, as_json, show_errors):
    """Precision, recall and F1 per category on LABELLED (.jsonl file or folder of them)."""
    import json

    from .detect import detect_calls
    from .detect.evaluate import evaluate as run_evaluation
    from .detect.evaluate import read_labelled
    from .detect.registry import CORE_CATEGORIES

    config = _detection_config(config_path)
    errors: list[str] = []
    result = run_evaluation(
        read_labelled(labelled, errors), lambda calls: detect_calls(calls, config), CORE_CATEGORIES, tolerance
    )
    result.errors = errors
    for error in errors:
        click.echo(error, err=True)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(f"{result.calls} calls")
        click.echo(f"{'category':<20}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}{'F1':>7}")
        rows = [*sorted(result.per_category.items()), ("total", result.total)]
        for name, c in rows:
            click.echo(f"{name:<20}{c.tp:>5}{c.fp:>5}{c.fn:>5}{c.precision:>11.3f}{c.recall:>8.3f}{c.f1:>7.3f}")
    if show_errors:
        for f in result.false_alarms:
            click.echo(f"false alarm  {f.call_id} {f.category} seg={f.segment_index} {f.score:.2f} {f.evidence[:60]} | {f.explanation}")
        for call_id, category, index in result.misses:
            click.echo(f"miss         {call_id} {category} seg={index}")
