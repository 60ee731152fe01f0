"""The ``callqa`` command line: click commands only. Each one parses options, calls the
library, and prints."""

from __future__ import annotations

import click

from . import __version__


@click.group()
@click.version_option(__version__, prog_name="callqa")
def cli():
    """callqa: offline quality inspection (质检) of debt-collection calls."""
