"""The store: schema, migrations and queries over SQLite or PostgreSQL through SQLAlchemy."""

from sinowatch.store.db import Conflict, Store
from sinowatch.store.tx import Tx

__all__ = ["Conflict", "Store", "Tx"]
