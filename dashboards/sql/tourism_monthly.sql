SELECT month, sum(domestic_visits) AS domestic, sum(foreign_visits) AS foreign_, sum(total_visits) AS total,
       sum(fee_revenue_idr) AS fee_idr, sum(total_visits_year_ago) AS year_ago,
       count(*) AS destinations
FROM mart.tourism_monthly GROUP BY ALL ORDER BY month
