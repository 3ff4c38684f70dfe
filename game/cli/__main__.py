"""`python -m game.cli`: the `crisis` command (a browser tab's join client runs it so)."""

import sys

from game.cli import main

sys.exit(main())
