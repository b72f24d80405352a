from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from ..core.identifiers import TaxNumberField
from ..core.models import UserDateAbstractModel
from ..core.personal_data import PersonalData


class UserManager(DjangoUserManager):
    def get_by_natural_key(self, username):
        # "Maria" and "maria" are one person: the login form, createsuperuser and the directory agree.
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """The project's user, in place from the first migration so it can grow fields later."""

    # Filled in the admin, or by the identity provider at each sign-in (GSIS gives the tax number).
    # db_default: the release still serving during a deploy leaves these columns out of its INSERTs (core.W011).
    tax_number = TaxNumberField(_("tax number (ΑΦΜ)"), blank=True, db_default="", db_index=True)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True, db_default="")

    objects = UserManager()
    personal_data = PersonalData(
        identify=["tax_number"],
        describe=["username", "first_name", "last_name", "email", "organisation", "last_login", "date_joined"],
    )

    class Meta(AbstractUser.Meta):
        constraints = [
            # Upper(), as Django's iexact lookups compare on PostgreSQL: this index serves the login's lookup.
            models.UniqueConstraint(
                Upper("username"),
                name="users_username_unique_whatever_its_case",
                violation_error_message=_("A user with that username already exists."),
            ),
        ]

    def __str__(self):
        # How people see each other everywhere (tables, selects, "by whom"): their name, else the username.
        return self.get_full_name() or self.get_username()


class ExternalIdentity(UserDateAbstractModel):
    """A person's name at another login service (the directory), linked to their account here.

    Only a linked account logs in through that service (users/identities.py says when a link is made); the
    audit fields and the history say who linked it, by hand or at a first login.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="external_identities",
        verbose_name=_("user"),
    )
    source = models.CharField(_("source"), max_length=50, help_text=_('The login service: "directory".'))
    identifier = models.CharField(
        _("identifier"), max_length=255, help_text=_("The person's username there, in lower case.")
    )

    personal_data = PersonalData(identify=["user"], describe=["source", "identifier"], history_years=10)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(fields=["source", "identifier"], name="users_one_account_per_external_identity"),
        ]

    def __str__(self):
        return f"{self.source}: {self.identifier}"
