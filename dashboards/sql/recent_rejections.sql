SELECT f.file_name, r.sheet, r.source_row, r.source_column, r.reason_code, r.message
FROM audit.rejections r JOIN audit.files f USING (receipt_id)
ORDER BY f.received_at DESC, r.source_row LIMIT 200
