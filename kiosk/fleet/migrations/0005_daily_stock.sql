-- Daily stock as data (issue 14): each booth records the stock every tier was configured
-- with for each local day (its kiosk.toml `daily_stock`; booth table `daily_stock`, synced
-- through the outbox like the other tables), so a booth × tier's day is readable from the
-- store alone: configured + adjustments (stock_adjustments) − given (plays) = left, with the
-- sell-out times (audit rows `sold_out`, detail "<day> <tier>") and the downgrades (plays
-- whose earned_tier differs from the prize_tier given). Nothing about visitors.

CREATE TABLE daily_stock (
    kiosk_id    text NOT NULL,
    day         date NOT NULL,          -- the booth's local day
    tier        text NOT NULL,
    configured  integer NOT NULL,       -- prizes of this tier the booth may give that day
    set_at      timestamptz NOT NULL,   -- when the booth recorded this number (its clock)
    version     bigint NOT NULL,
    PRIMARY KEY (kiosk_id, day, tier)
);
CREATE INDEX daily_stock_day ON daily_stock (day);

-- The day's reads below each touch a handful of rows through these.
CREATE INDEX stock_adjustments_day ON stock_adjustments (day);
CREATE INDEX audit_sold_out ON audit (at) WHERE action = 'sold_out';
-- Downgrades are rare (only once a tier ran out), so this partial index stays tiny.
CREATE INDEX plays_downgraded ON plays (started_at)
    WHERE earned_tier IS NOT NULL AND earned_tier IS DISTINCT FROM prize_tier;

-- One local day's stock per booth × tier. `day_start`/`day_end` are the day's UTC bounds
-- (kiosk/localday.py day_bounds: the carnival's offset is the caller's). `configured` is
-- NULL for a booth that never recorded its stock (software from before this migration);
-- `left_now` is then NULL too. `given` counts prizes of plays started that day (the running
-- totals of 0004), `downgraded` plays that earned this tier and got a lower one, `missed`
-- those that earned it and got nothing (every tier down from it was gone). A tier can sell
-- out more than once when staff restock it: the first and the latest sell-out are kept.
CREATE FUNCTION stock_of_day(d date, day_start timestamptz, day_end timestamptz)
RETURNS TABLE (
    kiosk_id text, tier text, configured integer, adjusted integer, given integer,
    left_now integer, downgraded integer, missed integer,
    first_sold_out timestamptz, last_sold_out timestamptz
)
LANGUAGE sql STABLE
BEGIN ATOMIC
    WITH conf AS (
        SELECT s.kiosk_id, s.tier, s.configured FROM daily_stock s WHERE s.day = d
    ), adj AS (
        SELECT a.kiosk_id, a.tier, sum(a.delta)::int AS adjusted
        FROM stock_adjustments a WHERE a.day = d GROUP BY 1, 2
    ), giv AS (
        SELECT p.kiosk_id, p.tier, sum(p.issued)::int AS given
        FROM dash_prizes p WHERE p.bucket >= day_start AND p.bucket < day_end
        GROUP BY 1, 2 HAVING sum(p.issued) <> 0
    ), down AS (
        SELECT p.kiosk_id, p.earned_tier AS tier,
               count(*) FILTER (WHERE p.prize_tier IS NOT NULL)::int AS downgraded,
               count(*) FILTER (WHERE p.prize_tier IS NULL)::int AS missed
        FROM plays p
        WHERE p.started_at >= day_start AND p.started_at < day_end
          AND p.earned_tier IS NOT NULL AND p.earned_tier IS DISTINCT FROM p.prize_tier
        GROUP BY 1, 2
    ), sold AS (
        SELECT a.kiosk_id, substr(a.detail, 12) AS tier, min(a.at) AS first_at,
               max(a.at) AS last_at
        FROM audit a
        WHERE a.action = 'sold_out' AND a.at >= day_start - interval '1 day'
          AND a.at < day_end + interval '1 day' AND left(a.detail, 11) = d::text || ' '
        GROUP BY 1, 2
    ), keys AS (
        SELECT c.kiosk_id, c.tier FROM conf c UNION SELECT j.kiosk_id, j.tier FROM adj j
        UNION SELECT g.kiosk_id, g.tier FROM giv g UNION SELECT w.kiosk_id, w.tier FROM down w
        UNION SELECT o.kiosk_id, o.tier FROM sold o
    )
    SELECT k.kiosk_id, k.tier, c.configured, coalesce(j.adjusted, 0), coalesce(g.given, 0),
           CASE WHEN c.configured IS NULL THEN NULL
                ELSE greatest(0, c.configured + coalesce(j.adjusted, 0) - coalesce(g.given, 0))
           END,
           coalesce(w.downgraded, 0), coalesce(w.missed, 0), o.first_at, o.last_at
    FROM keys k
    LEFT JOIN conf c ON c.kiosk_id = k.kiosk_id AND c.tier = k.tier
    LEFT JOIN adj j ON j.kiosk_id = k.kiosk_id AND j.tier = k.tier
    LEFT JOIN giv g ON g.kiosk_id = k.kiosk_id AND g.tier = k.tier
    LEFT JOIN down w ON w.kiosk_id = k.kiosk_id AND w.tier = k.tier
    LEFT JOIN sold o ON o.kiosk_id = k.kiosk_id AND o.tier = k.tier
    WHERE k.tier <> '?'
    ORDER BY k.kiosk_id, k.tier;
END;
