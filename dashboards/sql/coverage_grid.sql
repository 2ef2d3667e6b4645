WITH here AS (SELECT market_id, name, rowid AS position FROM ref.markets WHERE region_code = $1),
days AS (SELECT DISTINCT observed_on FROM mart.coverage WHERE market_id IN (SELECT market_id FROM here)
         ORDER BY 1 DESC LIMIT 60)
SELECT d.observed_on, m.name AS pasar, coalesce(c.n_commodities, 0) AS n
FROM days d CROSS JOIN here m
LEFT JOIN mart.coverage c ON c.observed_on = d.observed_on AND c.market_id = m.market_id
ORDER BY m.position, d.observed_on
