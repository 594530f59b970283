"""The searchable index: passage tables, BM25 postings, the build, and the on-disk cache."""
