"""Documents: finding knowledge files, reading each format, and cutting them into sentence passages."""
