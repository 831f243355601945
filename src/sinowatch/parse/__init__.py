"""Parsing: bytes or text in, models out — feeds, listings, sitemaps, articles, dates, stored texts."""
