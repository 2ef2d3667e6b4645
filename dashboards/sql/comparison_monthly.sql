SELECT month AS periode, region_code, ppu_price_idr, region_price_idr, gap_idr, gap_pct, source
FROM mart.region_comparison_monthly WHERE commodity_id = ? ORDER BY month, region_code
