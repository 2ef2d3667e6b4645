WITH last_month AS (SELECT max(month) AS m FROM mart.price_monthly WHERE region_code = $1)
SELECT m.month, m.commodity_id, c.name AS komoditas, k.name AS pasar,
       (m.price_idr / p.price_idr - 1) * 100 AS selisih_pct
FROM mart.price_monthly m JOIN last_month ON m.month = last_month.m AND m.region_code = $1
JOIN mart.price_monthly p ON p.month = m.month AND p.region_code = m.region_code AND p.commodity_id = m.commodity_id
     AND p.market_id IS NULL
JOIN ref.commodities c ON c.commodity_id = m.commodity_id JOIN ref.markets k ON k.market_id = m.market_id
WHERE m.market_id IS NOT NULL ORDER BY c.rowid, k.rowid
