-- The dashboard's running-total triggers on plays and visits (0004, 0007) as static SQL.
-- They built their statements with EXECUTE format(…), so PostgreSQL parsed and planned them
-- again on every push: about 2.4 ms of its CPU per push (docs/fleet.md, "Push latency").
-- Static statements in PL/pgSQL are planned once per connection and their plans reused.
-- The effects are exactly 0007's: the same rows, signs, groups, order and upserts
-- (tests/test_static_triggers.py compares a store on 0007 with one on 0008 row by row).
--
-- The prizes' "collected" share is dash_collected(prize_ref) written out: a SQL function
-- holding a subquery is not inlined, and PostgreSQL 15 plans its query again in every
-- statement that calls it (the rows reaching it all have a prize_ref, hence EXISTS alone).
--
-- A transition table exists only for its own event (an INSERT trigger has no old_rows), and
-- a static statement names its tables, so each event has its own branch; the branches
-- differ only in the rows of `d`: +1 as each row is now, -1 as it was.

CREATE OR REPLACE FUNCTION dash_plays_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        WITH d AS (SELECT 1 AS sign, kiosk_id, game, started_at, outcome FROM new_rows)
        INSERT INTO dash_plays AS t (bucket, kiosk_id, game, plays, completed)
        SELECT dash_bucket(started_at), kiosk_id, game, sum(sign),
               sum(sign * (outcome = 'completed')::int)
        FROM d GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (bucket, kiosk_id, game) DO UPDATE
            SET plays = t.plays + EXCLUDED.plays, completed = t.completed + EXCLUDED.completed;

        WITH d AS (SELECT 1 AS sign, kiosk_id, started_at, prize_tier, prize_ref FROM new_rows)
        INSERT INTO dash_prizes AS t (bucket, kiosk_id, tier, issued, collected)
        SELECT dash_bucket(started_at), kiosk_id, coalesce(prize_tier, '?'), sum(sign),
               sum(sign * (EXISTS (SELECT 1 FROM claim_events c
                                   WHERE c.prize_ref = d.prize_ref AND c.event = 'collected'))::int)
        FROM d WHERE prize_ref IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (bucket, kiosk_id, tier) DO UPDATE
            SET issued = t.issued + EXCLUDED.issued, collected = t.collected + EXCLUDED.collected;

    ELSIF TG_OP = 'UPDATE' THEN
        WITH d AS (SELECT 1 AS sign, kiosk_id, game, started_at, outcome FROM new_rows
                   UNION ALL SELECT -1, kiosk_id, game, started_at, outcome FROM old_rows)
        INSERT INTO dash_plays AS t (bucket, kiosk_id, game, plays, completed)
        SELECT dash_bucket(started_at), kiosk_id, game, sum(sign),
               sum(sign * (outcome = 'completed')::int)
        FROM d GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (bucket, kiosk_id, game) DO UPDATE
            SET plays = t.plays + EXCLUDED.plays, completed = t.completed + EXCLUDED.completed;

        WITH d AS (SELECT 1 AS sign, kiosk_id, started_at, prize_tier, prize_ref FROM new_rows
                   UNION ALL SELECT -1, kiosk_id, started_at, prize_tier, prize_ref FROM old_rows)
        INSERT INTO dash_prizes AS t (bucket, kiosk_id, tier, issued, collected)
        SELECT dash_bucket(started_at), kiosk_id, coalesce(prize_tier, '?'), sum(sign),
               sum(sign * (EXISTS (SELECT 1 FROM claim_events c
                                   WHERE c.prize_ref = d.prize_ref AND c.event = 'collected'))::int)
        FROM d WHERE prize_ref IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (bucket, kiosk_id, tier) DO UPDATE
            SET issued = t.issued + EXCLUDED.issued, collected = t.collected + EXCLUDED.collected;

    ELSE  -- DELETE
        WITH d AS (SELECT -1 AS sign, kiosk_id, game, started_at, outcome FROM old_rows)
        INSERT INTO dash_plays AS t (bucket, kiosk_id, game, plays, completed)
        SELECT dash_bucket(started_at), kiosk_id, game, sum(sign),
               sum(sign * (outcome = 'completed')::int)
        FROM d GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (bucket, kiosk_id, game) DO UPDATE
            SET plays = t.plays + EXCLUDED.plays, completed = t.completed + EXCLUDED.completed;

        WITH d AS (SELECT -1 AS sign, kiosk_id, started_at, prize_tier, prize_ref FROM old_rows)
        INSERT INTO dash_prizes AS t (bucket, kiosk_id, tier, issued, collected)
        SELECT dash_bucket(started_at), kiosk_id, coalesce(prize_tier, '?'), sum(sign),
               sum(sign * (EXISTS (SELECT 1 FROM claim_events c
                                   WHERE c.prize_ref = d.prize_ref AND c.event = 'collected'))::int)
        FROM d WHERE prize_ref IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (bucket, kiosk_id, tier) DO UPDATE
            SET issued = t.issued + EXCLUDED.issued, collected = t.collected + EXCLUDED.collected;
    END IF;
    RETURN NULL;
END $$;

-- Every stage tested as kiosk/funnel.py STAGE_TESTS tests it (0007's one definition).
CREATE OR REPLACE FUNCTION dash_visits_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        WITH d AS (SELECT 1 AS sign, kiosk_id, touched_at, language_chosen_at, game_chosen_at,
                          play_started_at, last_stage, qr_shown_at FROM new_rows)
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
            completed = t.completed + EXCLUDED.completed, qr = t.qr + EXCLUDED.qr;

    ELSIF TG_OP = 'UPDATE' THEN
        WITH d AS (SELECT 1 AS sign, kiosk_id, touched_at, language_chosen_at, game_chosen_at,
                          play_started_at, last_stage, qr_shown_at FROM new_rows
                   UNION ALL
                   SELECT -1, kiosk_id, touched_at, language_chosen_at, game_chosen_at,
                          play_started_at, last_stage, qr_shown_at FROM old_rows)
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
            completed = t.completed + EXCLUDED.completed, qr = t.qr + EXCLUDED.qr;

    ELSE  -- DELETE
        WITH d AS (SELECT -1 AS sign, kiosk_id, touched_at, language_chosen_at, game_chosen_at,
                          play_started_at, last_stage, qr_shown_at FROM old_rows)
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
            completed = t.completed + EXCLUDED.completed, qr = t.qr + EXCLUDED.qr;
    END IF;
    RETURN NULL;
END $$;

-- Only the dynamic triggers and 0007's one-off recount built statements from these texts.
DROP FUNCTION dash_visits_upsert(text);
DROP FUNCTION dash_changed_rows(text, text);
