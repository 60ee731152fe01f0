"""The ``callqa`` command line: click commands only. Each one parses options, calls the
library, and prints."""

from __future__ import annotations

import click

from . import __version__


@click.group()
@click.version_option(__version__, prog_name="callqa")
def cli():
    """callqa: offline quality inspection (质检) of debt-collection calls."""


# --- reviewer console: accounts, web console, queue, verdicts, export --------------------

DB_OPTION = click.option(
    "--db", "db_path", required=True, type=click.Path(dir_okay=False, exists=True), help="the callqa database (qa.db)"
)


@cli.group()
def user():
    """Console accounts (stored in the database's users table)."""


@user.command("add")
@click.argument("username")
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="the callqa database (created if missing)")
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
        raise click.ClickException(str(exc))
    click.echo(f"user {account.username} ({account.role}) saved in {db_path}")


@cli.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on (0.0.0.0 exposes it)")
@click.option("--port", default=8080, show_default=True, type=int)
def serve(db_path, host, port):
    """Run the reviewer console (web) over a database."""
    import uvicorn

    from .review.app import create_app

    click.echo(f"callqa console on http://{host}:{port}/  (Ctrl-C to stop)")
    uvicorn.run(create_app(db_path), host=host, port=port, log_level="warning")


@cli.command()
@DB_OPTION
@click.option("--status", type=click.Choice(["open", "confirmed", "dismissed", "uncertain", "all"]), default="open", show_default=True)
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
    counts = "  ".join(f"{labels.category_label(c)} {n}" for c, n in sorted(page.category_counts.items(), key=lambda kv: -kv[1]))
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
        raise click.ClickException(f"no active user {reviewer!r} (add one with: callqa user add {reviewer} --db {db_path})")
    try:
        review_id = queries.record_verdict(db, finding_id, verdict, reviewer, comment)
    except queries.ReviewError as exc:
        audit.record(db, reviewer, "verdict", "finding", finding_id, result="failed", detail=f"cli: {exc}")
        raise click.ClickException(str(exc))
    audit.record(db, reviewer, "verdict", "finding", finding_id, detail=f"cli: {verdict} (review {review_id})")
    click.echo(f"finding {finding_id}: {verdict} by {reviewer} (review {review_id})")


@cli.command()
@DB_OPTION
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="findings.xlsx or findings.csv")
@click.option("--status", type=click.Choice(["open", "confirmed", "dismissed", "uncertain", "all"]), default="all", show_default=True)
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
        raise click.ClickException(str(exc))
    audit.record(db, username, "export", "findings", out, detail=f"cli: {len(rows)} rows, status={status}, category={category or 'all'}")
    click.echo(f"{len(rows)} rows written to {out}")
