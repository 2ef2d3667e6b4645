WITH recent AS (
    SELECT *, CASE WHEN list_contains($3, rule) THEN 31 ELSE 7 END AS gap FROM mart.price_alerts
    WHERE observed_on > $1::DATE - $2::INTEGER AND market_id IS NULL AND region_code = $4),
marked AS (
    SELECT *, CASE WHEN observed_on - lag(observed_on) OVER (PARTITION BY commodity_id, rule
                                                           ORDER BY observed_on) > gap
                   THEN 1 ELSE 0 END AS starts
    FROM recent),
numbered AS (
    SELECT *, sum(starts) OVER (PARTITION BY commodity_id, rule ORDER BY observed_on) AS episode FROM marked)
SELECT * FROM (
SELECT c.name AS komoditas, c.rowid AS commodity_order, e.rule, min(e.since_on) AS since_on,
       max(e.observed_on) AS last_on,
       arg_max(e.level, e.observed_on) AS level, arg_max(e.message, e.observed_on) AS message,
       max(e.observed_on) >= CASE WHEN list_contains($3, e.rule)
                                  THEN date_trunc('month', $1::DATE) - INTERVAL 1 DAY
                                  ELSE $1::DATE END AS active
FROM numbered e JOIN ref.commodities c USING (commodity_id)
GROUP BY c.name, c.rowid, e.commodity_id, e.rule, e.episode)
ORDER BY list_position(['awas', 'siaga', 'waspada'], level), active DESC, since_on, commodity_order
