"""Which account a person who logs in through another service (the directory) gets here: one set of rules.

- An identity already linked to an account (ExternalIdentity) logs in as that account.
- Otherwise the account of the same username (whatever its case) is linked at this first login only when it
  was made for such a person: no password of its own, not staff, not a superuser, no other service's identity.
  Anything else would let whoever holds that name at the other service take over a local account, the
  superusers' included; an administrator links such an account by hand (the users' admin).
- No account of that username: one is made (without a password) only if the service's CREATE_USERS says so.

A refusal is logged and returns None, which the login counts as a failed attempt (django-axes).
"""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from ..core.current_user import acting_as
from .models import ExternalIdentity

log = logging.getLogger(__name__)


def made_for_another_service(user):
    return not (user.has_usable_password() or user.is_staff or user.is_superuser or user.external_identities.exists())


@transaction.atomic
def linked_account(source, username, *, create_users):
    """The account the identity ``username`` of ``source`` logs in as, linked now if need be; or None."""
    identifier = username.lower()
    linked = ExternalIdentity.objects.filter(source=source, identifier=identifier).select_related("user").first()
    if linked:
        return linked.user
    user = get_user_model().objects.filter(username__iexact=username).first()
    if user is None:
        if not create_users:
            log.info("%s login of %r refused: no account here, and CREATE_USERS is off.", source, username)
            return None
        user = get_user_model()(username=identifier)
        user.set_unusable_password()  # the other service keeps the password
        user.save()
    elif not made_for_another_service(user):
        log.warning(
            "%s login of %r refused: the local account %r has a password, staff rights or another link; "
            "an administrator may link it in the users' admin.",
            source,
            username,
            user.get_username(),
        )
        return None
    # Two first logins at once link once: the second finds the first's link. The audit fields and the history
    # name the person who logged in: nobody else was there.
    with acting_as(user):
        link, _ = ExternalIdentity.objects.get_or_create(source=source, identifier=identifier, defaults={"user": user})
    return link.user


def update_account(user, *, first_name, last_name, email, groups, group_names, **details):
    """What the other service says of a linked account: names, email, the mapped Django groups, and the
    ``details`` it gives (tax_number, organisation); a detail it does not give keeps what the admin wrote.

    ``group_names`` maps the service's group to a Django group; ``groups`` are the person's groups there.
    """
    user.first_name, user.last_name, user.email = first_name, last_name, email
    for name, value in details.items():
        setattr(user, name, value)
    user.save(update_fields=["first_name", "last_name", "email", *details])
    for group_of_service, name in group_names.items():
        group, _ = Group.objects.get_or_create(name=name)
        if group_of_service.lower() in groups:
            user.groups.add(group)
        else:
            user.groups.remove(group)
