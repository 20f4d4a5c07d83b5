"""``python -m generator`` runs the ``factsheet`` command."""

import sys

from .cli import main

sys.exit(main())
