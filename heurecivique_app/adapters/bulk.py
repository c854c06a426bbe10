"""Bulk writes and long id lists, each as few statements and parameters as the database allows.

A fan-out writes ten thousand rows that differ in one or two columns (the recipient,
the delivery's key) and share the rest (the message, its due time). On PostgreSQL
:func:`insert_ignoring_duplicates` sends them as ONE statement,
``INSERT … SELECT … FROM json_to_recordset(<the varying columns as one JSON text>)``,
with each shared value sent once: one ``json.dumps`` in C instead of per-row
parameter processing, and one round trip where an ``executemany`` sends a statement
per row. SQLite's driver runs an ``executemany`` in C, a thousand rows a call.
:func:`among` is the same idea for ``column IN (<ids>)``: one array parameter on
PostgreSQL instead of one per id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Select,
    String,
    Table,
    TypeDecorator,
    any_,
    bindparam,
    cast,
    column,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

CHUNK = 1000  # rows per executemany call on SQLite


def dialect_of(bind: Session | Connection) -> str:
    """``postgresql`` or ``sqlite``: the database behind a session or a connection."""
    return (bind.get_bind() if isinstance(bind, Session) else bind).dialect.name


def insert_ignoring_duplicates(bind: Session | Connection, table: Table,
                               rows: Iterable[dict[str, Any]], *,
                               conflict: Sequence[str] | None = None) -> None:
    """Insert ``rows`` (dicts with the same keys) in the caller's transaction.

    A row that breaks a unique constraint (the one on ``conflict``, else any) is left out.
    """
    rows = list(rows)
    if not rows:
        return
    dialect = dialect_of(bind)
    if dialect == "postgresql":
        statement = postgresql.insert(table).from_select(list(rows[0]),
                                                          _rows_source(bind, table, rows))
        bind.execute(statement.on_conflict_do_nothing(index_elements=conflict))
        return
    if dialect != "sqlite":  # pragma: no cover - the app runs on SQLite or PostgreSQL
        raise NotImplementedError(dialect)
    statement = sqlite.insert(table).on_conflict_do_nothing(index_elements=conflict)
    for start in range(0, len(rows), CHUNK):
        bind.execute(statement, rows[start:start + CHUNK])


def _rows_source(bind: Session | Connection, table: Table,
                 rows: list[dict[str, Any]]) -> Select:
    """``SELECT <shared values>, <varying columns> FROM json_to_recordset(<one document>)``."""
    first = rows[0]
    names = list(first)
    varying = [name for name in names
               if any(row[name] is not first[name] and row[name] != first[name] for row in rows)]
    source = None
    if varying:
        dialect = (bind.get_bind() if isinstance(bind, Session) else bind).dialect
        columns = [table.c[name] for name in varying]
        # A type of the app's own (UTCDateTime) checks and converts its values first.
        converters = [(c.name, convert) for c in columns if isinstance(c.type, TypeDecorator)
                      and (convert := c.type.bind_processor(dialect)) is not None]
        document = [{name: row[name] for name in varying} for row in rows]
        for name, convert in converters:
            for values in document:
                values[name] = convert(values[name])
        text = json.dumps(document, default=_json_default, separators=(",", ":"))
        document_text = cast(bindparam("rows", text, type_=String(), unique=True), JSON())
        source = func.json_to_recordset(document_text).table_valued(
            *[column(c.name, c.type) for c in columns]).render_derived(with_types=True)
    values = [source.c[name] if source is not None and name in varying
              else _typed(f"c_{name}", first[name], table.c[name].type) for name in names]
    query = select(*values)
    return query.select_from(source) if source is not None else query


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} in bulk")


def _typed(name: str, value: object, type_: TypeEngine) -> ColumnElement:
    # The cast tells PostgreSQL each parameter's type (a JSON text, a NULL, an array).
    return cast(bindparam(name, value, type_=type_, unique=True), type_)


def among(bind: Session | Connection, target: ColumnElement,
          values: Iterable[int]) -> ColumnElement[bool]:
    """``target IN values`` for integer ids: on PostgreSQL ``target = ANY(<one array>)``."""
    values = list(values)
    if dialect_of(bind) == "postgresql":
        # One text '{1,2,…}' cast to an array: the driver's list adapter costs far more.
        text = "{" + ",".join(str(int(value)) for value in values) + "}"
        return target == any_(cast(bindparam("ids", text, type_=String(), unique=True),
                                   postgresql.ARRAY(target.type)))
    return target.in_(values)
