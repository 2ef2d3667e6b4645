SELECT kind, lower_idr::DOUBLE AS lower_idr, upper_idr::DOUBLE AS upper_idr, valid_from, valid_to
FROM ref.reference_prices WHERE commodity_id = ? AND valid_from <= ?
  AND coalesce(valid_to, DATE '9999-12-31') >= ? AND zone IN ('2', 'national')
