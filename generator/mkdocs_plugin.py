"""The MkDocs plugin's old import path, kept for installs whose entry point names it.

The plugin lives in :mod:`generator.site.plugin`; ``pyproject.toml`` registers it there.
An install made before the move (``pip install -e .``) still names this module until
it is reinstalled.
"""

from generator.site.plugin import FactsheetPlugin

__all__ = ["FactsheetPlugin"]
