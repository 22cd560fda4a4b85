"""The visitors' funnel, defined once: touched → language → game → started → completed →
QR shown (docs/dashboard.md, "The visitors' funnel").

Every count of it uses these tests: the organisers' tallies on a kiosk file or the central
store (kiosk/organiser/visits.py: `smartizen stats | export --funnel | funnel | report`) and
the dashboard (kiosk/fleet/dashboard/today.py reads the half-hour totals that migration
0007_funnel.sql keeps with the same tests in SQL). One ``visits`` row per visitor, no
personal data; a stage counts the visits that got that far:

- touched, language, game, started, qr: the stage's time is set (``touched_at``,
  ``language_chosen_at``, ``game_chosen_at``, ``play_started_at``, ``qr_shown_at``);
- completed: the visit's furthest stage (``last_stage``, kept when the visitor leaves) is
  ``completed`` or ``qr``. The booth writes ``completed`` only for a round finished with a
  completed play (docs/fleet-contract.md), so a round given up or failed counts as started
  only. The visit row alone decides: a play row that arrives later, or never, changes
  nothing.

Each stage implies the ones before it, so the numbers only fall from one to the next.
"""

from __future__ import annotations

#: Per stage, the SQL test a ``visits`` row passes once its visitor got that far (SQLite and
#: PostgreSQL read it alike).
STAGE_TESTS: tuple[tuple[str, str], ...] = (
    ("touched", "touched_at IS NOT NULL"),
    ("language", "language_chosen_at IS NOT NULL"),
    ("game", "game_chosen_at IS NOT NULL"),
    ("started", "play_started_at IS NOT NULL"),
    ("completed", "last_stage IN ('completed', 'qr')"),
    ("qr", "qr_shown_at IS NOT NULL"),
)
STAGES: tuple[str, ...] = tuple(stage for stage, _ in STAGE_TESTS)
