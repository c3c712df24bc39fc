"""Detection: field classification, vectorised prefilter, free-text scanning, masking."""
