SELECT received_at AS diterima_utc, submitted_by AS pengirim, file_name AS berkas, dataset, status,
       rows_accepted AS diterima, rows_rejected AS ditolak
FROM audit.files WHERE submitted_by IS NOT NULL AND submitted_by <> 'demo'
  AND (?::VARCHAR IS NULL OR submitted_by = ?)
ORDER BY received_at DESC LIMIT ?
