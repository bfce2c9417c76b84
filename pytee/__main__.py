"""``python -m pytee``: the same as the ``pytee`` command."""

import sys

from pytee.cli import main

sys.exit(main())
