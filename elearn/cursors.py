"""psycopg's cursors for the app's PostgreSQL connections (see connections.configure).

SQLAlchemy reads a statement's columns from its compiled form once it has described them, and
asks the cursor only whether a result has columns at all; psycopg made a ``Column`` for each
of them on every statement (a learner page's one statement has up to 57). Imported only for a
PostgreSQL database.
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg


class DescribedOnDemand(psycopg.Cursor):
    """psycopg's cursor, with a result's ``description`` made when it is first read."""

    @property
    def description(self) -> Sequence | None:
        result = self.pgresult
        if result is None or not result.nfields:  # no columns: psycopg's own answer is cheap
            return super().description
        return _Description(self, result)


class _Description(Sequence):
    """The columns of ``result`` as psycopg describes them, made on first use. Read it before
    the cursor runs its next statement, as SQLAlchemy does (a later reading is an error, never
    another statement's columns)."""

    __slots__ = ("_columns", "_cursor", "_result")

    def __init__(self, cursor: psycopg.Cursor, result) -> None:
        self._cursor, self._result, self._columns = cursor, result, None

    def _made(self) -> list:
        if self._columns is None:
            if self._cursor.pgresult is not self._result:
                raise psycopg.InterfaceError("the cursor's description was read after its next statement")
            self._columns = psycopg.Cursor.description.fget(self._cursor)
        return self._columns

    def __len__(self) -> int:
        return self._result.nfields

    def __getitem__(self, index):
        return self._made()[index]
