SELECT r.name AS kecamatan, k.emergencies, k.per_10k_residents, k.population_year
FROM mart.calls_112_kecamatan_monthly k JOIN ref.regions r ON r.code = k.kecamatan_code
WHERE k.month = ? ORDER BY 1
