-- One funnel for the dashboard and the organisers' tools (kiosk/organiser/visits.py
-- STAGE_TESTS, docs/dashboard.md): a visit counts as "completed" when its furthest stage
-- (last_stage) is 'completed' or 'qr', read from the visit row alone; every other stage is
-- "its time is set". 0004 counted a visit completed when it had finished and its play's
-- outcome was 'completed', so the dashboard could disagree with `smartizen stats --fleet`
-- (a play not synced yet, a booth that wrote last_stage otherwise). The plays' trigger no
-- longer moves visits' shares, and dash_visits is counted again from the rows.

CREATE OR REPLACE FUNCTION dash_plays_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
    RETURN NULL;
END $$;

-- The statement adding the visits of ``rows_sql`` (each row with its sign: +1 as it is now,
-- -1 as it was) to dash_visits, every stage tested as kiosk/organiser/visits.py STAGE_TESTS
-- tests it. One text for the trigger and the recount below.
CREATE FUNCTION dash_visits_upsert(rows_sql text) RETURNS text LANGUAGE sql IMMUTABLE
    RETURN format($q$
        WITH d AS (%s)
        INSERT INTO dash_visits AS t (bucket, kiosk_id, touched, language, game, started,
                                      completed, qr)
        SELECT dash_bucket(touched_at), kiosk_id,
               sum(sign * (touched_at IS NOT NULL)::int),
               sum(sign * (language_chosen_at IS NOT NULL)::int),
               sum(sign * (game_chosen_at IS NOT NULL)::int),
               sum(sign * (play_started_at IS NOT NULL)::int),
               sum(sign * (last_stage IN ('completed', 'qr'))::int),
               sum(sign * (qr_shown_at IS NOT NULL)::int)
        FROM d GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (bucket, kiosk_id) DO UPDATE SET
            touched = t.touched + EXCLUDED.touched, language = t.language + EXCLUDED.language,
            game = t.game + EXCLUDED.game, started = t.started + EXCLUDED.started,
            completed = t.completed + EXCLUDED.completed, qr = t.qr + EXCLUDED.qr
    $q$, rows_sql);

CREATE OR REPLACE FUNCTION dash_visits_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE dash_visits_upsert(dash_changed_rows(TG_OP,
        'kiosk_id, touched_at, language_chosen_at, game_chosen_at, play_started_at,'
        ' last_stage, qr_shown_at'));
    RETURN NULL;
END $$;

-- Only 0004's "completed" used these: a visit no longer looks its play up.
DROP FUNCTION dash_play_completed(text, text);
DROP INDEX visits_kiosk_play;

-- The visits already stored, counted again under the one definition.
DELETE FROM dash_visits;
DO $$ BEGIN EXECUTE dash_visits_upsert('SELECT 1 AS sign, * FROM visits'); END $$;
