"""Where the data callqa ships with lives: default settings, lexicons, the classifier model.

They sit at the repository's top level (``callqa.yaml``, ``lexicons/``, ``models/``) where
people edit them, and the package reaches them as ``pipeline/data/``: in a checkout those
entries are links to the top-level ones, in a built wheel they are copies (package data).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def data_path(*parts: str) -> Path:
    """A path under the package's data: ``data_path("lexicons")``, ``data_path("callqa.yaml")``."""
    return Path(str(files("pipeline").joinpath("data", *parts)))
