"""Speed: what exists only to make builds and the preview fast.

Processes (forking work to other cores, checking pages as they are written), on-disk
storage of pages between MkDocs' loops, telling changed files from their ``stat``,
memoising the stages' per-item functions for the preview (:mod:`generator.speed.memo`),
and deleting leftovers in the background.

A build gives the same site with all of it off (:func:`enabled`): the generator then
runs in the build's process, on one core, with pages and downloads in memory, and
leftovers are deleted before the command returns. The preview (``factsheet serve``) then
keeps no memos: every rebuild is a fresh run of the plain pipeline, through MkDocs.
"""

from __future__ import annotations

import os

SWITCH = "FACTSHEET_SPEED"
"""Environment variable: ``off`` turns the speed layer off for builds and the preview."""


def enabled(option: bool = True) -> bool:
    """Whether a build (or the preview) uses the speed layer: the plugin's ``speed`` option, and
    ``FACTSHEET_SPEED`` (``off``, ``0``, ``false`` or ``no`` turn it off)."""
    return option and os.environ.get(SWITCH, "").strip().lower() not in ("off", "0", "false", "no")
