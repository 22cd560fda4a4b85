"""The organisers' live dashboard over the central store: ``dashboard_blueprint(pool)``.

web.py (routes, forms), auth.py (accounts, sessions, back-off), status.py (each booth now,
alerts), today.py (the day's aggregates), snapshot.py (one shared copy of them),
text.py (English / 繁體中文 from strings/*.toml), templates/ and static/.
"""

from kiosk.fleet.dashboard.web import dashboard_blueprint

__all__ = ["dashboard_blueprint"]
