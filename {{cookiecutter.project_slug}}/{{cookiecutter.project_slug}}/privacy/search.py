"""A person's data, for an access request (GDPR Art. 15): the rows of every model that declares PersonalData
(core/personal_data.py) whose identifying fields name them, and the old versions of those rows in the history."""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import ForeignKey, Q
from django.utils.translation import gettext_lazy as _

from ..core.identifiers import SocialSecurityNumberField, TaxNumberField
from ..core.personal_data import PersonalData
from ..lists.export import cell_value


@dataclass(frozen=True)
class Person:
    """Who is asking: an account here, a tax number (ΑΦΜ) or a social security number (ΑΜΚΑ); one or more."""

    user: object = None
    tax_number: str = ""
    social_security_number: str = ""

    def condition(self, field):
        """The condition on ``field`` (an identifying field) that finds this person's rows, or None."""
        if isinstance(field, TaxNumberField) and self.tax_number:
            return Q(**{field.name: self.tax_number})
        if isinstance(field, SocialSecurityNumberField) and self.social_security_number:
            return Q(**{field.name: self.social_security_number})
        if isinstance(field, ForeignKey) and field.related_model is get_user_model() and self.user:
            return Q(**{field.name: self.user.pk})
        return None


def declared_models():
    return [model for model in apps.get_models() if isinstance(getattr(model, "personal_data", None), PersonalData)]


def person_query(model, person):
    """The rows of ``model`` about ``person``, as one condition; None when no field of it can say."""
    conditions = [person.condition(model._meta.get_field(name)) for name in model.personal_data.identify]
    if model is get_user_model() and person.user:
        conditions.append(Q(pk=person.user.pk))
    conditions = [condition for condition in conditions if condition is not None]
    if not conditions:
        return None
    query = conditions.pop()
    for condition in conditions:
        query |= condition
    return query


def fields_of(model):
    declared = model.personal_data
    return [model._meta.get_field(name) for name in [*declared.identify, *declared.describe]]


def rows(model, query):
    """A header and the rows about the person: the row as people see it, its id, the declared fields. The header
    names the fields as the code does (headings() as people read them)."""
    fields = fields_of(model)
    relations = [field.name for field in fields if field.is_relation]
    yield ["row", "id", *(field.name for field in fields)]
    found = model._default_manager.filter(query).order_by("pk")
    for row in found.select_related(*relations) if relations else found:
        yield [str(row), row.pk, *(cell_value(getattr(row, field.name)) for field in fields)]


def history_rows(model, query):
    """The same of the row's old versions, each with its date, what happened and who did it."""
    fields = fields_of(model)
    relations = [field.name for field in fields if field.is_relation]
    yield ["id", "version_date", "change", "changed_by", *(field.name for field in fields)]
    versions = model.history.filter(query).select_related("history_user", *relations).order_by("id", "history_date")
    for version in versions:
        # A relation's row may be gone since (the history keeps its key only): then it is empty.
        values = [cell_value(getattr(version, field.name, None)) for field in fields]
        change = version.get_history_type_display()
        yield [version.id, cell_value(version.history_date), change, cell_value(version.history_user), *values]


HEADINGS = {
    "row": _("row"),
    "version_date": _("version date"),
    "change": _("change"),
    "changed_by": _("changed by"),
}


def headings(model, header):
    """A table's header in the project's language, for people: its fields' verbose names."""
    names = {field.name: field.verbose_name for field in model._meta.fields}
    return [str(HEADINGS.get(name) or names.get(name, name)) for name in header]


def personal_data(person):
    """(title, model, rows) for each table of rows about ``person``, the first of rows its header; empty ones left
    out."""
    found = []
    for model in declared_models():
        query = person_query(model, person)
        if query is None:
            continue
        label = f"{model._meta.verbose_name_plural} ({model._meta.label})"
        tables = [(label, model, list(rows(model, query)))]
        if hasattr(model, "history"):
            history = _("%(table)s: history") % {"table": label}
            tables.append((history, model.history.model, list(history_rows(model, query))))
        found += [table for table in tables if len(table[2]) > 1]
    return found
