-- The organisers' live dashboard (kiosk/fleet/dashboard/): who may log in, their sessions,
-- the back-off after wrong passwords, and running totals that keep "today" fast.

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

-- ---------------------------------------------------------------------------------------
-- Running totals per half hour (UTC-aligned, so any whole- or half-hour offset gives whole
-- local hours), kept by statement-level triggers: an ingest batch is one INSERT … ON CONFLICT
-- statement, so its rows are added in one grouped upsert, not one by one. A day of the
-- dashboard then reads a few thousand total rows instead of a third of a million plays.
-- Each total is "the sum over the rows as they are now": every insert adds a row's share,
-- every update takes the old share away and adds the new one, a delete takes it away.
-- ---------------------------------------------------------------------------------------

CREATE FUNCTION dash_bucket(at timestamptz) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN date_bin('30 minutes', at, TIMESTAMPTZ '2000-01-01 00:00:00+00');

CREATE TABLE dash_plays (           -- plays per booth × game × half hour
    bucket     timestamptz NOT NULL,
    kiosk_id   text NOT NULL,
    game       text NOT NULL,
    plays      integer NOT NULL DEFAULT 0,
    completed  integer NOT NULL DEFAULT 0,
    PRIMARY KEY (bucket, kiosk_id, game)
);

CREATE TABLE dash_prizes (          -- prizes given per booth × tier × half hour of the play
    bucket     timestamptz NOT NULL,
    kiosk_id   text NOT NULL,
    tier       text NOT NULL,
    issued     integer NOT NULL DEFAULT 0,
    collected  integer NOT NULL DEFAULT 0,   -- of those, with a 'collected' claim event
    PRIMARY KEY (bucket, kiosk_id, tier)
);

CREATE TABLE dash_visits (          -- the funnel per booth × half hour of the first touch
    bucket     timestamptz NOT NULL,
    kiosk_id   text NOT NULL,
    touched    integer NOT NULL DEFAULT 0,
    language   integer NOT NULL DEFAULT 0,
    game       integer NOT NULL DEFAULT 0,
    started    integer NOT NULL DEFAULT 0,
    completed  integer NOT NULL DEFAULT 0,   -- round finished and its play completed
    qr         integer NOT NULL DEFAULT 0,
    PRIMARY KEY (bucket, kiosk_id)
);

CREATE TABLE dash_gaps (            -- heartbeat silences longer than a minute
    kiosk_id  text NOT NULL,
    from_at   timestamptz NOT NULL,   -- the last heartbeat before the silence
    to_at     timestamptz NOT NULL,   -- the first one after it
    PRIMARY KEY (kiosk_id, to_at)
);
CREATE INDEX dash_gaps_to_at ON dash_gaps (to_at);

-- A visit's "completed" looks its play up; a play that completes finds its visit.
CREATE INDEX visits_kiosk_play ON visits (kiosk_id, play_id) WHERE play_id IS NOT NULL;

-- Shares of one play / one visit, as the triggers and the back-fill count them.
CREATE FUNCTION dash_collected(ref text) RETURNS integer LANGUAGE sql STABLE
    RETURN (ref IS NOT NULL AND EXISTS (
        SELECT 1 FROM claim_events c WHERE c.prize_ref = ref AND c.event = 'collected'))::int;

CREATE FUNCTION dash_play_completed(k text, p text) RETURNS integer LANGUAGE sql STABLE
    RETURN (p IS NOT NULL AND EXISTS (
        SELECT 1 FROM plays x WHERE x.kiosk_id = k AND x.id = p AND x.outcome = 'completed'))::int;

-- The rows a statement changed, each with its sign: +1 as it is now, -1 as it was. The
-- transition tables exist only for their own events, hence the query is built per event.
CREATE FUNCTION dash_changed_rows(op text, cols text) RETURNS text LANGUAGE sql IMMUTABLE
    RETURN CASE op
        WHEN 'INSERT' THEN format('SELECT 1 AS sign, %s FROM new_rows', cols)
        WHEN 'DELETE' THEN format('SELECT -1 AS sign, %s FROM old_rows', cols)
        ELSE format('SELECT 1 AS sign, %1$s FROM new_rows UNION ALL '
                    'SELECT -1, %1$s FROM old_rows', cols)
    END;

CREATE FUNCTION dash_plays_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d text := dash_changed_rows(
        TG_OP, 'kiosk_id, id, game, started_at, outcome, prize_tier, prize_ref');
BEGIN
    EXECUTE format($q$
        WITH d AS (%s)
        INSERT INTO dash_plays AS t (bucket, kiosk_id, game, plays, completed)
        SELECT dash_bucket(started_at), kiosk_id, game, sum(sign),
               sum(sign * (outcome = 'completed')::int)
        FROM d GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (bucket, kiosk_id, game) DO UPDATE
            SET plays = t.plays + EXCLUDED.plays, completed = t.completed + EXCLUDED.completed
    $q$, d);

    EXECUTE format($q$
        WITH d AS (%s)
        INSERT INTO dash_prizes AS t (bucket, kiosk_id, tier, issued, collected)
        SELECT dash_bucket(started_at), kiosk_id, coalesce(prize_tier, '?'), sum(sign),
               sum(sign * dash_collected(prize_ref))
        FROM d WHERE prize_ref IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (bucket, kiosk_id, tier) DO UPDATE
            SET issued = t.issued + EXCLUDED.issued, collected = t.collected + EXCLUDED.collected
    $q$, d);

    -- A play that became (or stopped being) completed moves its finished visit's share.
    EXECUTE format($q$
        WITH d AS (%s)
        INSERT INTO dash_visits AS t (bucket, kiosk_id, completed)
        SELECT dash_bucket(v.touched_at), v.kiosk_id, sum(d.sign)
        FROM d JOIN visits v ON v.kiosk_id = d.kiosk_id AND v.play_id = d.id
        WHERE d.outcome = 'completed' AND v.finished_at IS NOT NULL
        GROUP BY 1, 2 HAVING sum(d.sign) <> 0 ORDER BY 1, 2
        ON CONFLICT (bucket, kiosk_id) DO UPDATE SET completed = t.completed + EXCLUDED.completed
    $q$, d);
    RETURN NULL;
END $$;

CREATE TRIGGER dash_plays_insert AFTER INSERT ON plays REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION dash_plays_changed();
CREATE TRIGGER dash_plays_update AFTER UPDATE ON plays
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION dash_plays_changed();
CREATE TRIGGER dash_plays_delete AFTER DELETE ON plays REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION dash_plays_changed();

CREATE FUNCTION dash_visits_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($q$
        WITH d AS (%s)
        INSERT INTO dash_visits AS t (bucket, kiosk_id, touched, language, game, started,
                                      completed, qr)
        SELECT dash_bucket(touched_at), kiosk_id, sum(sign),
               sum(sign * (language_chosen_at IS NOT NULL)::int),
               sum(sign * (game_chosen_at IS NOT NULL)::int),
               sum(sign * (play_started_at IS NOT NULL)::int),
               sum(sign * CASE WHEN finished_at IS NULL THEN 0
                          ELSE dash_play_completed(kiosk_id, play_id) END),
               sum(sign * (qr_shown_at IS NOT NULL)::int)
        FROM d GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (bucket, kiosk_id) DO UPDATE SET
            touched = t.touched + EXCLUDED.touched, language = t.language + EXCLUDED.language,
            game = t.game + EXCLUDED.game, started = t.started + EXCLUDED.started,
            completed = t.completed + EXCLUDED.completed, qr = t.qr + EXCLUDED.qr
    $q$, dash_changed_rows(TG_OP, 'kiosk_id, touched_at, language_chosen_at, game_chosen_at,'
                                  ' play_started_at, play_id, finished_at, qr_shown_at'));
    RETURN NULL;
END $$;

CREATE TRIGGER dash_visits_insert AFTER INSERT ON visits REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION dash_visits_changed();
CREATE TRIGGER dash_visits_update AFTER UPDATE ON visits
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION dash_visits_changed();
CREATE TRIGGER dash_visits_delete AFTER DELETE ON visits REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION dash_visits_changed();

-- A prize's first 'collected' event counts it collected, on the day and booth of its play.
-- (A collection that arrives before its play is counted when the play arrives: the play's
-- share looks its claim events up.)
CREATE FUNCTION dash_claims_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO dash_prizes AS t (bucket, kiosk_id, tier, collected)
    SELECT dash_bucket(p.started_at), p.kiosk_id, coalesce(p.prize_tier, '?'), count(*)
    FROM (SELECT DISTINCT prize_ref FROM new_rows n WHERE n.event = 'collected'
          AND NOT EXISTS (SELECT 1 FROM claim_events c WHERE c.prize_ref = n.prize_ref
                          AND c.event = 'collected' AND c.id < n.id)) first
    JOIN plays p ON p.prize_ref = first.prize_ref
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (bucket, kiosk_id, tier) DO UPDATE SET collected = t.collected + EXCLUDED.collected;
    RETURN NULL;
END $$;

CREATE TRIGGER dash_claims_insert AFTER INSERT ON claim_events
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION dash_claims_inserted();

-- Heartbeats arrive stamped with the centre's clock, so each booth's are in order: a new
-- one more than a minute after the booth's previous one closes a silence.
CREATE FUNCTION dash_heartbeat_gap() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    prev timestamptz;
BEGIN
    SELECT max(at) INTO prev FROM heartbeats WHERE kiosk_id = NEW.kiosk_id AND at < NEW.at;
    IF prev IS NOT NULL AND NEW.at - prev > interval '1 minute' THEN
        INSERT INTO dash_gaps (kiosk_id, from_at, to_at) VALUES (NEW.kiosk_id, prev, NEW.at)
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER dash_heartbeat_gap AFTER INSERT ON heartbeats
    FOR EACH ROW EXECUTE FUNCTION dash_heartbeat_gap();

-- Rows already in the store when this migration runs.
INSERT INTO dash_plays (bucket, kiosk_id, game, plays, completed)
SELECT dash_bucket(started_at), kiosk_id, game, count(*),
       count(*) FILTER (WHERE outcome = 'completed')
FROM plays GROUP BY 1, 2, 3;

INSERT INTO dash_prizes (bucket, kiosk_id, tier, issued, collected)
SELECT dash_bucket(started_at), kiosk_id, coalesce(prize_tier, '?'), count(*),
       sum(dash_collected(prize_ref))
FROM plays WHERE prize_ref IS NOT NULL GROUP BY 1, 2, 3;

INSERT INTO dash_visits (bucket, kiosk_id, touched, language, game, started, completed, qr)
SELECT dash_bucket(touched_at), kiosk_id, count(*), count(language_chosen_at),
       count(game_chosen_at), count(play_started_at),
       sum(CASE WHEN finished_at IS NULL THEN 0 ELSE dash_play_completed(kiosk_id, play_id) END),
       count(qr_shown_at)
FROM visits GROUP BY 1, 2;

INSERT INTO dash_gaps (kiosk_id, from_at, to_at)
SELECT kiosk_id, prev, at FROM (
    SELECT kiosk_id, at, lag(at) OVER (PARTITION BY kiosk_id ORDER BY at) AS prev
    FROM heartbeats) h
WHERE at - prev > interval '1 minute';
