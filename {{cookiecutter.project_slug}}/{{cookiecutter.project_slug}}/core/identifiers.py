"""Greek identifiers as model fields: tax numbers (ΑΦΜ), social security numbers (ΑΜΚΑ) and postal codes.

python-stdnum checks the numbers (length, the ΑΦΜ's check digit, the ΑΜΚΑ's birth date and Luhn digit),
offline. A value is stored in its compact form ("EL 094 259 216" becomes "094259216"), so a register finds
a person however their number was typed, and the errors say, in the project's language, what is wrong.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength
from stdnum.exceptions import ValidationError as NumberError
from stdnum.gr import amka, vat

POSTAL_CODE = re.compile(r"[1-8][0-9]{4}")  # not \d, which takes any script's digits


def compact_postal_code(value):
    return re.sub(r"\s", "", value)


def number_validator(module, messages):
    """A validator of the stdnum ``module``'s number, with the message of the first of ``messages`` (stdnum's
    error classes, the most specific first) that matches why a value fails."""

    def validate(value):
        try:
            module.validate(value)
        except NumberError as error:
            message = next(message for kind, message in messages.items() if isinstance(error, kind))
            raise ValidationError(message, code="invalid") from None

    return validate


validate_tax_number = number_validator(
    vat,
    {
        InvalidLength: _("A tax number (ΑΦΜ) has 9 digits."),
        InvalidChecksum: _("This tax number (ΑΦΜ) does not exist: its check digit is wrong."),
        NumberError: _("A tax number (ΑΦΜ) has digits only."),
    },
)
validate_social_security_number = number_validator(
    amka,
    {
        InvalidLength: _("A social security number (ΑΜΚΑ) has 11 digits."),
        InvalidChecksum: _("This social security number (ΑΜΚΑ) does not exist: its check digit is wrong."),
        InvalidComponent: _("This social security number (ΑΜΚΑ) does not exist: it starts with no birth date."),
        NumberError: _("A social security number (ΑΜΚΑ) has digits only."),
    },
)


def validate_postal_code(value):
    if not POSTAL_CODE.fullmatch(compact_postal_code(value)):
        raise ValidationError(_("A Greek postal code has five digits, the first 1 to 8."), code="invalid")


class CompactFormField(forms.CharField):
    """Takes the number as people type it (spaces, dots, dashes, "EL"), checks and keeps its compact form."""

    def __init__(self, *, compact, **kwargs):
        self.compact = compact
        kwargs["max_length"] = None  # the typed form may be longer than the stored one
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return self.compact(value) if value else value


class CompactField(models.CharField):
    compact = staticmethod(str)
    length = 0

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", self.length)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == self.length:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def to_python(self, value):
        value = super().to_python(value)
        return self.compact(value) if value else value

    def formfield(self, **kwargs):
        defaults = {"form_class": CompactFormField, "compact": self.compact, "validators": self.default_validators}
        return super().formfield(**{**defaults, **kwargs})

    @classmethod
    def is_valid(cls, value):
        try:
            for validate in cls.default_validators:
                validate(cls.compact(value))
        except ValidationError:
            return False
        return True


class TaxNumberField(CompactField):
    """ΑΦΜ: nine digits, the last a check digit."""

    default_validators = [validate_tax_number]
    description = _("Tax number (ΑΦΜ)")
    compact = staticmethod(vat.compact)
    length = 9


class SocialSecurityNumberField(CompactField):
    """ΑΜΚΑ: eleven digits, the first six the birth date (DDMMYY), the last a Luhn check digit."""

    default_validators = [validate_social_security_number]
    description = _("Social security number (ΑΜΚΑ)")
    compact = staticmethod(amka.compact)
    length = 11


class PostalCodeField(CompactField):
    """A Greek postal code: five digits (written "104 31" too)."""

    default_validators = [validate_postal_code]
    description = _("Postal code")
    compact = staticmethod(compact_postal_code)
    length = 5


class IdentifiersMixin:
    """For a model's pages: ``identifier_rows``, each Greek identifier field's name and value, in field order."""

    @property
    def identifier_rows(self):
        return [
            (field.verbose_name, field.value_from_object(self))
            for field in self._meta.fields
            if isinstance(field, CompactField)
        ]
