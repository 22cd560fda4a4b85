-- The organisers' live dashboard (kiosk/fleet/dashboard/): who may log in, their sessions,
-- the back-off after wrong passwords, and the indexes that keep "today" fast with millions
-- of rows of earlier days beside it.

-- Organiser accounts, made with `smartizen fleet add-organiser NAME`; a password hashed as
-- kiosk/pin.py hashes PINs (salted PBKDF2-SHA256). Disabled accounts cannot log in.
CREATE TABLE dashboard_users (
    username       text PRIMARY KEY,
    password_hash  text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    disabled_at    timestamptz
);

-- One row per login. The cookie holds a random token; only its sha256 is stored, so a copy
-- of this table opens no session. Logout or expiry sets ended_at: that cookie is dead on
-- every service process at once.
CREATE TABLE dashboard_sessions (
    token_hash    text PRIMARY KEY,
    username      text NOT NULL REFERENCES dashboard_users (username) ON DELETE CASCADE,
    csrf          text NOT NULL,          -- the session's form token
    started_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    ended_at      timestamptz
);

-- Wrong passwords per client address: each one past the free few doubles that client's wait.
CREATE TABLE dashboard_login_failures (
    client    text PRIMARY KEY,
    failures  integer NOT NULL,
    last_at   timestamptz NOT NULL
);

-- "Today" reads only today's index entries, never the table: the heat map, per-booth totals
-- and prizes issued come from one index-only range scan on started_at.
CREATE INDEX plays_dashboard_day ON plays (started_at)
    INCLUDE (kiosk_id, game, outcome, prize_tier, prize_ref);

-- The funnel: every stage's timestamp beside touched_at, again index-only.
CREATE INDEX visits_dashboard_day ON visits (touched_at)
    INCLUDE (kiosk_id, language_chosen_at, game_chosen_at, play_started_at, play_id,
             finished_at, qr_shown_at);

-- Prizes collected since the day began (a prize issued today is collected today or later).
CREATE INDEX claim_events_collected_at ON claim_events (at) INCLUDE (prize_ref)
    WHERE event = 'collected';
