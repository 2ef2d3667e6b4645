SELECT c.name AS komoditas, c.unit AS satuan, p.price_idr, p.n_markets, ch.wow_pct, ch.wow_base_on,
       r.reference_kind, r.reference_upper_idr, r.band
FROM ref.commodities c
JOIN mart.price_ppu_daily p ON p.commodity_id = c.commodity_id AND p.region_code = $1 AND p.observed_on = $2
LEFT JOIN mart.price_changes ch ON ch.region_code = p.region_code AND ch.commodity_id = c.commodity_id
     AND ch.observed_on = p.observed_on AND ch.market_id IS NULL
LEFT JOIN mart.price_reference_status r ON r.region_code = p.region_code AND r.commodity_id = c.commodity_id
     AND r.observed_on = p.observed_on AND r.market_id IS NULL
ORDER BY c.rowid
