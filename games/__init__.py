"""Mini-games. Each module or package with a ``GAME`` spec is a plug-in; see games/base.py."""
