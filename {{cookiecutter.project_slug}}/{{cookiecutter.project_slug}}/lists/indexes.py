"""Indexes for what the project's lists do."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db.models.functions import Upper


class TextFilterIndex(GinIndex):
    """Serves ``icontains`` filters on a text field: a trigram index on PostgreSQL, nothing elsewhere.

    PostgreSQL runs ``title__icontains`` as ``UPPER(title) LIKE UPPER('%text%')``; a B-tree cannot help
    with a leading ``%``, a trigram GIN index on UPPER(title) can. The index creates pg_trgm, which the
    database's owner may do (a trusted extension). SQLite gets no index and scans, as it always did.
    """

    def __init__(self, field, *, name):
        self.field = field
        super().__init__(OpClass(Upper(field), name="gin_trgm_ops"), name=name)

    def deconstruct(self):
        return f"{self.__module__}.{type(self).__name__}", (self.field,), {"name": self.name}

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return ""
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        return super().create_sql(model, schema_editor, using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return ""
        return super().remove_sql(model, schema_editor, **kwargs)
