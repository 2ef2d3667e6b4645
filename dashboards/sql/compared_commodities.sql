SELECT c.commodity_id, c.name FROM ref.commodities c
WHERE c.commodity_id IN (SELECT commodity_id FROM mart.region_comparison_monthly) ORDER BY c.rowid
