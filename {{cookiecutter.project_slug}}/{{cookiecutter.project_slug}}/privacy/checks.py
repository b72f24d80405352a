"""A model's PersonalData (core/personal_data.py) names fields it has, identifies people by what privacy/search.py
can look up, and says how long its history keeps them."""

from django.contrib.auth import get_user_model
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignKey

from ..core.checks import project_models
from ..core.identifiers import SocialSecurityNumberField, TaxNumberField
from ..core.personal_data import PersonalData
from .search import declared_models


def identifies(field):
    by_user = isinstance(field, ForeignKey) and field.related_model is get_user_model()
    return by_user or isinstance(field, TaxNumberField | SocialSecurityNumberField)


def check_declarations(app_configs=None, **kwargs):
    messages = [*undeclared(app_configs)]
    for model in declared_models():
        if app_configs is not None and model._meta.app_config not in app_configs:
            continue
        declared = model.personal_data
        for name in [*declared.identify, *declared.describe]:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                messages.append(
                    checks.Error(
                        f"personal_data names {name!r}, which is no field of it.", obj=model, id="privacy.E001"
                    )
                )
                continue
            if name in declared.identify and not identifies(field):
                messages.append(
                    checks.Error(
                        f"personal_data identifies people by {name!r}, which says no one's identity.",
                        hint="identify takes tax and social security numbers and relations to the user model; "
                        "other fields go in describe.",
                        obj=model,
                        id="privacy.E002",
                    )
                )
        if hasattr(model, "history") and declared.history_years is None:
            messages.append(
                checks.Warning(
                    "Keeps personal data and its change history, but not for how long: the history keeps it for ever.",
                    hint="Set PersonalData(history_years=N), the retention your records of processing name "
                    '(docs/registry.md, "Personal data").',
                    obj=model,
                    id="privacy.W001",
                )
            )
    return messages


def undeclared(app_configs):
    """Models that keep tax or social security numbers without saying so."""
    for model in project_models(app_configs):
        numbers = [
            field.name for field in model._meta.fields if isinstance(field, TaxNumberField | SocialSecurityNumberField)
        ]
        if numbers and not isinstance(getattr(model, "personal_data", None), PersonalData):
            yield checks.Warning(
                f"Keeps {', '.join(numbers)}, personal data, without a personal_data declaration.",
                hint="Declare personal_data = PersonalData(identify=[...], history_years=N) "
                "(core/personal_data.py): access requests find it, and its history is purged in time.",
                obj=model,
                id="privacy.W002",
            )
