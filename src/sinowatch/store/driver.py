"""The per-article statements as the database driver's own SQL, run on the transaction's DBAPI cursor.

Storing an article takes about a dozen statements. Through SQLAlchemy each one cost 30-45 µs of Python before
the database saw it (building the execution context, processing every parameter, wrapping the cursor), on
the driver's cursor 3 µs (a look-up by hash on SQLite, measured side by side): in a fetch run the store was a
quarter of the main process's time. The statements below are plain SQL both SQLite and PostgreSQL read, written
with `?` and turned into psycopg's `%s` once; their parameters are what each driver takes as they are
(str, int, float, bool, bytes, None), except datetimes, which go through the column type's own converter so
a row reads back the same as one SQLAlchemy wrote (SQLite stores them as text). The rest of the store, off the
per-article path, stays SQLAlchemy Core; the schema and migrations are its. A driver error is mapped by
Store.transaction like SQLAlchemy's (a unique constraint: Conflict; anything else: StoreError)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, DateTime
from sqlalchemy.engine import Dialect


def marks(n: int) -> str:
    """n placeholders for an IN list: "?, ?, ?"."""
    return ", ".join("?" * n)


@cache
def _native(sql: str, paramstyle: str) -> str:
    return sql if paramstyle == "qmark" else sql.replace("?", "%s")


class Driver:
    """The DBAPI cursor of one transaction's connection (made when first used)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        self.paramstyle = "qmark" if self.sqlite else "format"
        self._stamp = _stamp_converter(conn.dialect)
        self._cursor: Any = None

    @property
    def cursor(self) -> Any:
        if self._cursor is None:
            self._cursor = self.conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        return self._cursor

    def stamp(self, value: datetime | None) -> object:
        """A datetime as the driver stores it for a DateTime(timezone=True) column."""
        return None if value is None else self._stamp(value)

    def execute(self, sql: str, params: Sequence[object] = ()) -> Any:
        cursor = self.cursor
        cursor.execute(_native(sql, self.paramstyle), params)
        return cursor

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        return list(self.execute(sql, params).fetchall())

    def value(self, sql: str, params: Sequence[object] = ()) -> Any:
        row = self.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def gather(self, queries: Sequence[tuple[str, Sequence[object]]]) -> list[list[tuple[Any, ...]]]:
        """The rows of several queries that do not depend on one another: PostgreSQL gets them all before it
        answers the first, one round trip instead of one each (what counts with a database across a network;
        on loopback bench/pipeline.py showed no clear gain)."""
        if not self._pipelines():
            return [self.rows(sql, params) for sql, params in queries]
        connection = self.conn.connection.dbapi_connection
        cursors = [connection.cursor() for _ in queries]  # type: ignore[union-attr]
        try:
            with connection.pipeline():  # type: ignore[union-attr]
                for cursor, (sql, params) in zip(cursors, queries, strict=True):
                    cursor.execute(_native(sql, self.paramstyle), params)
            return [list(cursor.fetchall()) for cursor in cursors]
        finally:
            for cursor in cursors:
                cursor.close()

    def many(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        if rows:
            self.cursor.executemany(_native(sql, self.paramstyle), rows)

    def insert_id(self, sql: str, params: Sequence[object]) -> int:
        """Run an INSERT into a table with an `id` key; the new row's id."""
        if self.sqlite:
            return int(self.execute(sql, params).lastrowid)
        return int(self.execute(sql + " RETURNING id", params).fetchone()[0])

    @contextmanager
    def pipelined(self) -> Iterator[None]:
        """Statements whose results nobody reads, sent to PostgreSQL without waiting for each answer (psycopg's
        pipeline mode; an error still raises, at the end of the block at the latest): an article's writes after
        its row are one round trip, not six. SQLite runs in the process: nothing to wait for."""
        if not self._pipelines():
            yield
            return
        with self.conn.connection.dbapi_connection.pipeline():  # type: ignore[union-attr]
            yield

    def _pipelines(self) -> bool:
        return not self.sqlite and hasattr(self.conn.connection.dbapi_connection, "pipeline")

    def close(self) -> None:
        if self._cursor is not None:
            self._cursor.close()
            self._cursor = None


@cache
def _stamp_converter(dialect: Dialect) -> Callable[[datetime], object]:
    """SQLAlchemy's own bind converter for DateTime(timezone=True) on this dialect (or none needed)."""
    column_type = DateTime(timezone=True)
    convert = column_type.dialect_impl(dialect).bind_processor(dialect)
    return convert if convert is not None else (lambda value: value)
