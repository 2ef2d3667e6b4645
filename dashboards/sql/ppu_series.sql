SELECT p.observed_on, p.price_idr, p.n_markets, p.cv_markets_pct, v.cv_pct AS cv_time_30d_pct
FROM mart.price_ppu_daily p
LEFT JOIN mart.price_volatility v ON v.region_code = p.region_code AND v.commodity_id = p.commodity_id
     AND v.period_end = p.observed_on AND v.window_days = 30
WHERE p.region_code = ? AND p.commodity_id = ? AND p.observed_on BETWEEN ? AND ? ORDER BY 1
