import logging
import re

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from stdnum.gr import vat

from ..core.identifiers import validate_tax_number
from ..users.identities import linked_account, update_account
from .provider import SOURCE, provider_settings

# Django's own rule for usernames.
USERNAME = re.compile(r"[\w.@+-]{1,150}")
log = logging.getLogger(__name__)


class IdentityProviderBackend(ModelBackend):
    """The person an ID token names, once views.py has checked the token, by users/identities.py's rules."""

    def authenticate(self, request, identity_claims=None, **kwargs):
        if identity_claims is None:
            return None
        config = provider_settings()
        username = identity_claims.get(config["USERNAME_CLAIM"])
        if not isinstance(username, str) or not USERNAME.fullmatch(username):
            log.warning("Identity provider sign-in refused: the claim %s is no username.", config["USERNAME_CLAIM"])
            return None
        user = linked_account(SOURCE, username, create_users=config["CREATE_USERS"])
        if user is None or not self.user_can_authenticate(user):
            return None
        if config["PROFILE"] == "gsis_citizen" and (user.is_staff or user.is_superuser):
            log.warning("Identity provider sign-in refused: a citizen's account (%s) may not be staff.", username)
            return None
        groups = identity_claims.get(config["GROUPS_CLAIM"]) or []
        update_account(
            user,
            first_name=str(identity_claims.get("given_name", ""))[:150],
            last_name=str(identity_claims.get("family_name", ""))[:150],
            email=str(identity_claims.get("email", ""))[:254],
            groups={str(group).lower() for group in groups} if isinstance(groups, list) else set(),
            group_names=config["GROUPS"],
            **details(identity_claims, config),
        )
        return user


def details(claims, config):
    """The tax number and organisation the claims give, as the user's fields keep them; those they leave out, or
    give wrong, are not there."""
    found = {}
    if tax_number := claims.get(config["TAX_NUMBER_CLAIM"]):
        try:
            validate_tax_number(str(tax_number))
            found["tax_number"] = vat.compact(str(tax_number))
        except ValidationError:
            log.warning("Identity provider sign-in: the claim %s is no tax number.", config["TAX_NUMBER_CLAIM"])
    organisation = claims.get(config["ORGANISATION_CLAIM"])
    if isinstance(organisation, (list, dict)):  # Keycloak: its organisations' aliases, attributes by alias
        organisation = ", ".join(map(str, organisation))
    if organisation:
        found["organisation"] = str(organisation)[:255]
    return found
