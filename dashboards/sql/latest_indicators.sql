SELECT program, indicator, unit, period, target, actual, achievement_pct, agency
FROM mart.indicator_achievement WHERE is_latest AND dimension = ? ORDER BY program, indicator
