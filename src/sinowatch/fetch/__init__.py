"""Fetching: the shared HTTP client, politeness, robots.txt, conditional GET, decoding, URL identity."""
