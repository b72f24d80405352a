"""What a model keeps about people, for the GDPR: privacy/ finds it, writes it out and purges its history.

A model says so in a class attribute, with the names of its fields::

    personal_data = PersonalData(identify=["tax_number", "created_by"], describe=["name"], history_years=10)

- ``identify``: the fields that say whose a row is: a tax number (TaxNumberField), a social security number
  (SocialSecurityNumberField) or a user (a relation to the user model). ``manage.py personal_data`` finds a
  person's rows, and the old versions in their history, by them.
- ``describe``: the other fields about the person, written out with the rows.
- ``history_years``: how long the change history keeps the old versions of a row (``manage.py purge_history``,
  a scheduled job); None keeps them for ever, and ``manage.py check`` warns about it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class PersonalData:
    identify: tuple = ()
    describe: tuple = ()
    history_years: int | None = None
