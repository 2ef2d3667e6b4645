SELECT r.code AS region_code, r.name
FROM ref.regions r WHERE r.code IN (SELECT DISTINCT region_code FROM ref.markets)
ORDER BY r.code = ? DESC, r.name
