SELECT r.name AS kecamatan, sum(w.deposits) AS setoran, sum(w.weight_kg) AS berat_kg,
       sum(w.value_idr) AS nilai_idr, sum(w.donated_weight_kg) AS disedekahkan_kg
FROM mart.waste_monthly w JOIN ref.regions r ON r.code = w.kecamatan_code
WHERE w.month = ? GROUP BY ALL ORDER BY 1
