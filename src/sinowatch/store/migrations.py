"""Named migrations, applied in order on open and recorded in `schema_migrations`.

`0001_initial` creates the tables as `schema.py` first defined them. A later change to a table adds a new
named migration here that alters it (checking what exists, so it is safe to run against any version).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, inspect, select, text

from sinowatch.store import schema as t


def _initial(conn: Connection) -> None:
    t.metadata.create_all(conn, checkfirst=True)


MIGRATIONS: list[tuple[str, Callable[[Connection], None]]] = [
    ("0001_initial", _initial),
]


def migrate(conn: Connection) -> list[str]:
    """Apply pending migrations; returns their names. Serialised across processes on PostgreSQL."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(7343201)"))  # concurrent daemons start one at a time
    if not inspect(conn).has_table(t.migrations.name):
        t.migrations.create(conn)
    done = set(conn.execute(select(t.migrations.c.name)).scalars())
    applied = []
    for name, step in MIGRATIONS:
        if name not in done:
            step(conn)
            conn.execute(insert(t.migrations).values(name=name, applied_at=datetime.now(UTC)))
            applied.append(name)
    return applied


def schema_version(conn: Connection) -> str | None:
    return conn.execute(select(t.migrations.c.name).order_by(t.migrations.c.name.desc()).limit(1)).scalar()
