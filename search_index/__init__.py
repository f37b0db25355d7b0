"""Persian full-text search: normalization, analyzer, query parsing (nothing else imports whoosh)."""
