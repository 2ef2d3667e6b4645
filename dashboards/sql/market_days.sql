days AS (SELECT DISTINCT observed_on FROM recent)
SELECT d.observed_on,
       (SELECT count(*) FROM recent r WHERE r.observed_on = d.observed_on) AS reporting,
       (SELECT count(*) FROM expected e WHERE e.weekday = dayofweek(d.observed_on)) AS expected,
       NOT EXISTS (SELECT 1 FROM expected e WHERE e.weekday = dayofweek(d.observed_on)
                   AND NOT EXISTS (SELECT 1 FROM recent r WHERE r.observed_on = d.observed_on
                                   AND r.market_id = e.market_id)) AS complete
FROM days d ORDER BY d.observed_on DESC
