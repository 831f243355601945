"""Digests: selection per subscription, rendering with Jinja2, mail, and the delivery ledger."""
