import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ..identifiers import PostalCodeField, SocialSecurityNumberField, TaxNumberField


def cleaned(field, value):
    """What a model's full_clean() and a ModelForm make of ``value``: the same, or the same error."""
    from_model = field.clean(value, None)
    assert field.formfield().clean(value) == from_model
    return from_model


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        (TaxNumberField(), "094259216", "094259216"),
        (TaxNumberField(), "EL 094 259 216", "094259216"),
        (TaxNumberField(), "094.259.216", "094259216"),
        (SocialSecurityNumberField(), "01013099997", "01013099997"),
        (SocialSecurityNumberField(), "010130-99997", "01013099997"),
        (PostalCodeField(), "104 31", "10431"),
        (PostalCodeField(), "54622", "54622"),
    ],
)
def test_a_number_as_people_type_it_is_kept_compact(field, typed, stored):
    assert cleaned(field, typed) == stored


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        (TaxNumberField(), "094259217", "check digit"),
        (TaxNumberField(), "123456781", "check digit"),
        (TaxNumberField(), "0942592", "9 digits"),
        (TaxNumberField(), "09425921Χ", "digits only"),
        (SocialSecurityNumberField(), "01013099999", "check digit"),
        (SocialSecurityNumberField(), "32133099997", "no birth date"),
        (SocialSecurityNumberField(), "0101309999", "11 digits"),
        (PostalCodeField(), "01234", "five digits"),
        (PostalCodeField(), "9999", "five digits"),
        (PostalCodeField(), "ΤΚ 10431", "five digits"),
        (PostalCodeField(), "١٠٤٣١", "five digits"),  # Arabic-Indic digits
        (TaxNumberField(), "٠٩٤٢٥٩٢١٦", "digits only"),
    ],
)
def test_a_number_that_does_not_exist_is_refused_saying_why(field, typed, message):
    with pytest.raises(ValidationError) as refused:
        field.clean(typed, None)
    assert message in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        field.formfield().clean(typed)


def test_the_reasons_are_given_in_greek():
    with translation.override("el"):
        with pytest.raises(ValidationError) as refused:
            TaxNumberField().clean("094259217", None)
        assert refused.value.messages == ["Αυτός ο ΑΦΜ δεν υπάρχει: το ψηφίο ελέγχου του είναι λάθος."]


def test_a_blank_field_stays_blank_and_the_stored_length_is_not_written_into_migrations():
    assert TaxNumberField(blank=True).clean("", None) == ""
    assert "max_length" not in TaxNumberField().deconstruct()[3]
    assert TaxNumberField().max_length == 9 and SocialSecurityNumberField().max_length == 11
