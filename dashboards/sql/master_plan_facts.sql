SELECT (SELECT sum(on_time_days) * 100.0 / nullif(sum(market_days), 0) FROM mart.market_timeliness)
           AS on_time_pct,
       (SELECT sum(market_days) FROM mart.market_timeliness) AS market_days,
       (SELECT count(DISTINCT commodity_id) FROM core.price_observations
        WHERE observed_on > $1::DATE - 30) AS commodities,
       (SELECT sum(n_above) FROM mart.reference_breaches_daily WHERE observed_on = $1 AND region_code = $2)
           AS n_above,
       (SELECT sum(n_markets) FROM mart.reference_breaches_daily WHERE observed_on = $1 AND region_code = $2)
           AS n_priced
