import sys

from pilot_tui.cli import main

sys.exit(main())
