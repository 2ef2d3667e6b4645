SELECT observed_on AS periode, region_code, ppu_price_idr, region_price_idr, gap_idr, gap_pct, source
FROM mart.region_comparison_daily WHERE commodity_id = ? ORDER BY observed_on, region_code
