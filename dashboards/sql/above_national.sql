SELECT c.name AS komoditas, w.weeks_above, w.ppu_price_idr, w.national_price_idr, w.week
FROM mart.region_above_national_weekly w JOIN ref.commodities c USING (commodity_id)
WHERE w.alert AND w.week = (SELECT max(week) FROM mart.region_above_national_weekly)
ORDER BY w.weeks_above DESC, c.rowid
