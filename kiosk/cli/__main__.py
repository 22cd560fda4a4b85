"""``python -m kiosk.cli``: the `smartizen` command without the installed script."""

from kiosk.cli import main

main()
