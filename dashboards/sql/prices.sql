SELECT o.observed_on AS tanggal, m.name AS pasar, o.price_idr::DOUBLE AS harga_idr, o.unit AS satuan,
       o.flags IS NOT NULL AS ditandai
FROM core.price_observations o JOIN ref.markets m USING (market_id)
WHERE o.commodity_id = ? AND o.observed_on BETWEEN ? AND ? AND list_contains(?, o.market_id)
ORDER BY o.observed_on, m.rowid
