#!/usr/bin/env python3
"""Start the Smartizen Park kiosk. `python launch.py --help` lists the flags."""

import sys

from kiosk.booth.launcher import main

if __name__ == "__main__":
    sys.exit(main())
