SELECT c.name AS komoditas, w.month, w.value, w.class, w.status
FROM ref.commodities c JOIN mart.price_early_warning w USING (commodity_id)
WHERE w.method = 'alps' AND w.region_code = ?
QUALIFY row_number() OVER (PARTITION BY w.commodity_id ORDER BY w.month DESC NULLS LAST) = 1
ORDER BY c.rowid
