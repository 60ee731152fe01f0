"""What the scan shows on the terminal: a live progress bar and the closing summary."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from pipeline.run import Progress as ScanProgress

console = Console(stderr=True)


class ScanProgressBar:
    """Files done of total, audio hours done, speed as a multiple of real time, and ETA: one bar
    per run (``update``'s ``label``; ``label`` here names the one of a single run)."""

    def __init__(self, label: str = "scan"):
        self.bar = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[hours]:.2f} h audio"),
            TextColumn("{task.fields[speed]:.1f}× real time"),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self.label = label
        self.tasks: dict[str, int] = {}

    def __enter__(self):
        self.bar.start()
        return self

    def __exit__(self, *exc):
        self.bar.stop()

    def update(self, progress: ScanProgress, label: str | None = None) -> None:
        label = label or self.label
        if label not in self.tasks:
            self.tasks[label] = self.bar.add_task(label, total=None, hours=0.0, speed=0.0)
        self.bar.update(
            self.tasks[label],
            total=progress.total or None,
            completed=progress.done,
            hours=progress.audio_seconds / 3600,
            speed=progress.speed,
        )


def print_summary(title: str, progress: ScanProgress, db_path: str, show_speed: bool = True) -> None:
    table = Table(title=title, show_header=False)
    table.add_row("stored ok", str(progress.ok))
    table.add_row("failed (stored with reason)", str(progress.failed))
    table.add_row("skipped (already stored)", str(progress.skipped))
    table.add_row("audio", f"{progress.audio_seconds / 3600:.2f} h ({progress.audio_seconds:.0f} s)")
    table.add_row("wall time", f"{progress.elapsed:.1f} s")
    if progress.audio_seconds and show_speed:
        table.add_row("speed", f"{progress.speed:.1f}× real time")
    for category, count in sorted(progress.findings.items()):
        table.add_row(f"findings: {category}", str(count))
    if progress.cross_call:
        table.add_row("findings of the cross-call rules", str(progress.cross_call))
    if progress.finished_runs:
        runs = ", ".join(map(str, progress.finished_runs))
        table.add_row("earlier runs that ended early", f"{runs} (finished now: cross-call rules run)")
    for node, calls in sorted(progress.nodes.items()):
        table.add_row(f"calls on node {node[:12]}", str(calls))
    table.add_row("database", db_path)
    console.print(table)
    for _path, error in progress.failures:  # every error message names its file
        console.print(f"[red]failed[/red] {error}", highlight=False)
