import sys

from mic_tracker.cli import main

sys.exit(main())
