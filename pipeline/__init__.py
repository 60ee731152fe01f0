"""callqa: offline quality inspection of Chinese debt-collection calls."""

__version__ = "0.1.0"
