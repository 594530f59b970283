"""Text analysis: folding, tokens, index terms and sentence boundaries."""
