"""Text normalisation shared by the stages: NFKC, Hanja folding, boilerplate lines, fingerprints."""
