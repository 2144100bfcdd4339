"""A short list of related values read in the query of the row they belong to, as one JSON array, instead of a
query of its own: the signed-in user's roles, partnerships and second factors (``accounts.backends``), a case's
strands and possible duplicates (the case page). Here, in the lowest layer, so every app may use it.

``json_list`` is a correlated subquery (one per list, in the row's own query) whose value decodes to a Python list:
any text survives it (a name with a comma, a quote or a newline), which a joined string would not. The list is in no
set order (SQLite before 3.44 cannot order inside an aggregate): callers sort it."""

from __future__ import annotations

import json

from django.db.models import Aggregate, Func, Manager, OuterRef, QuerySet, Subquery, TextField

# Plain text out, decoded here: Django's JSONField (and its JSONArray) would ask SQLite once per connection whether it
# has JSON (three more queries, on the first page a connection serves).


class JSONList(Aggregate):
    """The values as one JSON array, as text: ``jsonb_agg`` on PostgreSQL, ``json_group_array`` on SQLite. A value
    may be a ``Row`` of several columns (a list of lists)."""

    function = "JSONB_AGG"
    name = "JSONList"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


class Row(Func):
    """Several columns as one JSON array: ``jsonb_build_array`` on PostgreSQL, ``json_array`` on SQLite."""

    function = "JSONB_BUILD_ARRAY"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSON_ARRAY", **extra_context)


def json_list(rows: QuerySet | Manager, link: str, value, outer: str = "pk") -> Subquery:
    """``value`` of each of ``rows`` whose ``link`` is the outer row's ``outer``, as one JSON array: the outer row's
    attribute is its text, or None when no row links to it (``listed`` decodes both)."""
    linked = rows.filter(**{link: OuterRef(outer)}).order_by().values(link)
    return Subquery(linked.annotate(items=JSONList(value)).values("items"), output_field=TextField())


def listed(value) -> list:
    """A ``json_list`` annotation's value as a list (none linked: an empty one)."""
    if value is None:
        return []
    return json.loads(value) if isinstance(value, (str, bytes)) else list(value)
