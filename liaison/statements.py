"""ORM reads compiled to SQL once per process and run many times with other parameters.

Turning a queryset into SQL costs Python time: a dozen-line ``values()`` query with a join, a correlated
subquery and an ordering takes about a millisecond to build and compile, several times what PostgreSQL and the
driver spend running it. A page that every user of a role opens (the deputy portal) pays that on each visit for
the same statement with another user's id. :class:`CompiledValues` compiles the queryset once with *markers* in the
place of the parameters that vary (a user id, a date), remembers where each marker landed among the statement's
parameters, and afterwards only swaps the markers for the real values and executes it — through Django's cursor,
so query counting, logging and the test suite's assertions see it like any other statement.

The queryset stays the definition: the rows are what ``list(build(*values))`` would return (values() dicts or
values_list() tuples, Django's converters applied), which the tests of each use check. A marker must be a value
that the compiled statement passes as a parameter, each marker at least once, and no other parameter may be equal
to one; otherwise compiling raises ``ValueError`` (a test catches that before any user does).
"""

import threading

from django.db import connections
from django.db.models.query import ValuesIterable, ValuesListIterable

from liaison.models import User

MARKER_ID = 987_654_321_987


def stand_in_user(pk, role):
    """An unsaved user with the id ``pk`` and ``role``: what ``visible_to(user)`` needs to scope a statement to a
    role, when the statement is compiled with :data:`MARKER_ID` for the user's id."""
    return User(pk=pk, role=role, is_superuser=False)


class CompiledValues:
    """``build(*markers)`` returns a ``values()`` or ``values_list()`` queryset; ``rows(*values)`` runs it with
    ``values`` in place of ``markers`` (same order) and returns its rows as a list."""

    def __init__(self, build, *markers):
        self._build = build
        self._markers = markers
        self._compiled = {}
        self._lock = threading.Lock()

    def _compile(self, using):
        queryset = self._build(*self._markers)
        query = queryset.query
        compiler = query.get_compiler(using)
        sql, params = compiler.as_sql()
        slots = []
        for param in params:
            slot = next(
                (i for i, marker in enumerate(self._markers) if type(param) is type(marker) and param == marker),
                None,
            )
            slots.append(slot)
        missing = set(range(len(self._markers))) - set(slots)
        if missing:
            raise ValueError(f"markers {sorted(missing)} are not parameters of the statement: {sql}")
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = [(i, convs, expression) for i, (convs, expression) in compiler.get_converters(fields).items()]
        if queryset._iterable_class is ValuesIterable:
            names = list(query.selected or (*query.extra_select, *query.values_select, *query.annotation_select))
        elif queryset._iterable_class is ValuesListIterable:
            names = None
        else:
            raise ValueError("CompiledValues runs values() and values_list() querysets (not flat or named ones)")
        return sql, tuple(params), tuple(slots), converters, names

    def rows(self, *values, using="default"):
        compiled = self._compiled.get(using)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(using) or self._compile(using)
                self._compiled[using] = compiled
        sql, params, slots, converters, names = compiled
        params = [param if slot is None else values[slot] for param, slot in zip(params, slots, strict=True)]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [list(row) for row in rows]
            for row in rows:
                for i, convs, expression in converters:
                    value = row[i]
                    for converter in convs:
                        value = converter(value, expression, connection)
                    row[i] = value
        if names is not None:
            return [dict(zip(names, row, strict=True)) for row in rows]
        return [tuple(row) for row in rows]
