-- The central store: every booth's rows, keyed by (kiosk_id, the booth's own id).
-- Rows arrive through the outbox (docs/fleet-contract.md) or an after-hours import, both
-- with the same version-guarded upsert, so neither can double-count the other.
-- `version` is the booth's local monotonic counter at the row's last change.

CREATE TABLE kiosks (
    kiosk_id        text PRIMARY KEY,
    name            text NOT NULL DEFAULT '',
    token_hash      text,                 -- sha256 hex of the booth's bearer token
    created_at      timestamptz NOT NULL DEFAULT now(),
    revoked_at      timestamptz,          -- set: the booth's pushes are refused (403)
    synced_through  bigint NOT NULL DEFAULT 0,  -- highest local version acknowledged
    last_push_at    timestamptz
);

CREATE TABLE plays (
    kiosk_id     text NOT NULL,
    id           text NOT NULL,
    game         text NOT NULL,
    language     text NOT NULL,
    difficulty   text NOT NULL,
    started_at   timestamptz NOT NULL,
    ended_at     timestamptz,
    duration_s   double precision,
    score        integer,
    outcome      text NOT NULL,           -- in_progress | completed | abandoned | error
    details      text,
    prize_tier   text,                    -- the tier given
    earned_tier  text,                    -- the tier the score earned (differs: downgraded)
    prize_serial integer,
    prize_ref    text,
    prize_code   text,
    version      bigint NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kiosk_id, id)
);
CREATE INDEX plays_started_at ON plays (started_at);
CREATE INDEX plays_kiosk_started_at ON plays (kiosk_id, started_at);
CREATE INDEX plays_prize_ref ON plays (prize_ref) WHERE prize_ref IS NOT NULL;

-- One visitor's path at a booth; no personal data, only what the touchscreen saw.
CREATE TABLE visits (
    kiosk_id            text NOT NULL,
    id                  text NOT NULL,
    touched_at          timestamptz NOT NULL,
    language_chosen_at  timestamptz,
    language            text,
    game_chosen_at      timestamptz,
    game                text,
    play_started_at     timestamptz,
    play_id             text,
    finished_at         timestamptz,      -- the round ended (completed or given up)
    qr_shown_at         timestamptz,
    left_at             timestamptz,      -- back to attract (timeout or done)
    last_stage          text NOT NULL,    -- touched | language | game | started | completed | left | qr
    version             bigint NOT NULL,
    received_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kiosk_id, id)
);
CREATE INDEX visits_touched_at ON visits (touched_at);

CREATE TABLE audit (
    kiosk_id  text NOT NULL,
    id        bigint NOT NULL,
    at        timestamptz NOT NULL,
    action    text NOT NULL,
    detail    text,
    version   bigint NOT NULL,
    PRIMARY KEY (kiosk_id, id)
);
CREATE INDEX audit_at ON audit (at);

CREATE TABLE stock_adjustments (
    kiosk_id  text NOT NULL,
    id        bigint NOT NULL,
    at        timestamptz NOT NULL,
    day       date NOT NULL,
    tier      text NOT NULL,
    delta     integer NOT NULL,
    note      text,
    version   bigint NOT NULL,
    PRIMARY KEY (kiosk_id, id)
);

CREATE TABLE game_switches (
    kiosk_id  text NOT NULL,
    day       date NOT NULL,
    game      text NOT NULL,
    enabled   boolean NOT NULL,
    version   bigint NOT NULL,
    PRIMARY KEY (kiosk_id, day, game)
);

-- The latest heartbeat of each booth (replaced every ~15 s) …
CREATE TABLE booth_status (
    kiosk_id          text PRIMARY KEY REFERENCES kiosks (kiosk_id),
    seen_at           timestamptz NOT NULL,   -- the centre's clock, never the booth's
    booth_clock       timestamptz,            -- the booth's clock, to show skew
    software_version  text,
    uptime_s          double precision,
    screen            text,
    db_health         text,                   -- ok | warning text
    speech_health     text,
    backlog           integer,
    stock_left        jsonb,                  -- {"gold": 3, "silver": 10, ...}
    sold_out          jsonb,                  -- {"gold": "2026-07-18T05:12:00Z"}
    paused            boolean NOT NULL DEFAULT false,
    applied_revision  bigint NOT NULL DEFAULT 0,
    warnings          jsonb NOT NULL DEFAULT '[]'
);

-- … and every heartbeat's arrival, for downtime and "offline since".
CREATE TABLE heartbeats (
    kiosk_id  text NOT NULL,
    at        timestamptz NOT NULL,
    screen    text,
    backlog   integer
);
CREATE INDEX heartbeats_kiosk_at ON heartbeats (kiosk_id, at);

-- What organisers want a booth to do; the heartbeat answer carries it, the booth applies
-- it between visitors and reports `applied_revision`.
CREATE TABLE desired_settings (
    kiosk_id    text PRIMARY KEY REFERENCES kiosks (kiosk_id),
    revision    bigint NOT NULL,
    settings    jsonb NOT NULL,       -- {"paused": bool, "games": {id: bool}, "volume": 0.8,
                                      --  "stock": [{"id": "...", "tier": "gold", "delta": 5}]}
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  text NOT NULL DEFAULT ''
);

-- Claim side: a phone opened a claim page, a desk handed a prize over.
CREATE TABLE claim_events (
    id          bigserial PRIMARY KEY,
    prize_ref   text NOT NULL,
    kiosk_id    text,
    event       text NOT NULL,        -- opened | collected | refused
    desk        text,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX claim_events_ref ON claim_events (prize_ref);
CREATE INDEX claim_events_at ON claim_events (at);
