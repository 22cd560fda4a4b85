"""Mini-games. Each module with a ``GAME`` spec is a plug-in; see games/base.py."""
