import sys

from pilot_tui.startup import main

sys.exit(main())
