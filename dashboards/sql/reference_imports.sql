SELECT imported_at, file_name, rows, reference_version FROM audit.reference_imports
ORDER BY imported_at DESC, file_name
