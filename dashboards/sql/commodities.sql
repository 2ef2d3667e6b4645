SELECT commodity_id, name, unit FROM ref.commodities
WHERE monitored OR commodity_id IN (SELECT DISTINCT commodity_id FROM core.price_observations)
ORDER BY rowid
