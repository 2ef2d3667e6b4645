WITH days AS (SELECT DISTINCT observed_on FROM mart.coverage ORDER BY 1 DESC LIMIT 60)
SELECT d.observed_on, m.name AS pasar, coalesce(c.n_commodities, 0) AS n
FROM days d CROSS JOIN ref.markets m
LEFT JOIN mart.coverage c ON c.observed_on = d.observed_on AND c.market_id = m.market_id
ORDER BY m.rowid, d.observed_on
