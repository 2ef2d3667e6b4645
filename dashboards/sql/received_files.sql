SELECT received_at, file_name, dataset, submitted_by, status, rows_accepted, rows_rejected, rows_missing,
       rows_flagged, coalesce(error_message, '') AS error_message
FROM audit.files ORDER BY received_at DESC LIMIT ?
