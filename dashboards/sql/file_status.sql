SELECT status, rows_accepted, rows_rejected, rows_missing, error_message FROM audit.files
WHERE file_id = ? ORDER BY received_at DESC LIMIT 1
