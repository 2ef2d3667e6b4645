SELECT o.observed_on, m.name AS pasar, c.name AS komoditas, o.price_idr::DOUBLE AS harga, o.sheet, o.source_row
FROM core.price_observations o JOIN ref.markets m USING (market_id) JOIN ref.commodities c USING (commodity_id)
WHERE o.flags IS NOT NULL AND m.region_code = ? ORDER BY o.observed_on DESC LIMIT 200
