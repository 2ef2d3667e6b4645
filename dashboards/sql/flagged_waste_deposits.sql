SELECT w.deposited_on, w.unit_name, w.desa, c.name AS jenis, w.weight_kg, w.price_per_kg_idr::DOUBLE AS harga,
       w.value_idr::DOUBLE AS nilai, w.sheet, w.source_row
FROM core.waste_deposits w JOIN ref.waste_categories c ON c.category_id = w.waste_category_id
WHERE w.flags IS NOT NULL ORDER BY w.deposited_on DESC LIMIT ?
