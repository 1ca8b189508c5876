"""``python -m infracalc_tui`` is the ``infracalc`` command."""

import sys

from .cli import main

sys.exit(main())
