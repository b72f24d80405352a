"""Organization login: people log in with their directory account (LDAP, Active Directory), through ldap3.

ldap3 is pure Python, so it installs on a Windows laptop without a compiler (django-auth-ldap needs
python-ldap, a C extension). A directory user may log in when the directory accepts their password,
they are a member of DIRECTORY["REQUIRE_GROUP"] where it is set, and the project knows them: an
account of that username exists here, or DIRECTORY["CREATE_USERS"] lets their first login make one
(without a password of its own). Each login copies their name and email
and sets their Django groups from DIRECTORY["GROUPS"]. A user this project disabled (is_active off)
stays out. Local accounts (the superusers) log in through ModelBackend, before this one asks the
directory, so they do when the directory is down; a directory user's login gives up after
DIRECTORY["TIMEOUT"] seconds then, and says so in the log.
"""

import logging
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from ldap3 import SUBTREE, Connection, Server
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars

DEFAULTS = {
    "SERVER_URI": "",  # ldap://dc1.example.org or ldaps://...
    "BIND_DN": "",  # a service account that may search; empty: search anonymously
    "BIND_PASSWORD": "",
    "USER_SEARCH_BASE": "",  # ou=people,dc=example,dc=org
    "USER_FILTER": "(uid={username})",  # Active Directory: (sAMAccountName={username})
    "GROUP_SEARCH_BASE": "",  # ou=groups,dc=example,dc=org: groups that list their members in "member"
    "REQUIRE_GROUP": "",  # the DN of the group whose members may log in; empty: every directory user
    "GROUPS": {},  # {group DN: Django group name}
    "CREATE_USERS": False,  # False: only users with an account here (made in the admin) log in
    "TIMEOUT": 5,
}
# Django's own rule for usernames: the characters of a search filter (* ( ) \ NUL) never reach one.
USERNAME = re.compile(r"[\w.@+-]+")
log = logging.getLogger(__name__)


def directory_settings():
    return {**DEFAULTS, **getattr(settings, "DIRECTORY", {})}


class DirectoryBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        config = directory_settings()
        # An empty password would be an anonymous bind, which directories accept.
        if not config["SERVER_URI"] or not password or not USERNAME.fullmatch(username or ""):
            return None
        try:
            found = self.check_password(config, username, password)
        except LDAPException as error:
            log.warning("The directory did not answer (%s): only local accounts can log in.", error)
            return None
        if found is None:
            return None
        user = self.update_user(config, username.lower(), *found)
        return user if user is not None and self.user_can_authenticate(user) else None

    def check_password(self, config, username, password):
        """(the user's attributes in the directory, the DNs of their groups), or None if it says no."""
        server = Server(config["SERVER_URI"], connect_timeout=config["TIMEOUT"])
        options = {"receive_timeout": config["TIMEOUT"], "auto_bind": True}
        with Connection(server, config["BIND_DN"] or None, config["BIND_PASSWORD"] or None, **options) as search:
            search_filter = config["USER_FILTER"].format(username=escape_filter_chars(username))
            search.search(config["USER_SEARCH_BASE"], search_filter, SUBTREE, attributes=["givenName", "sn", "mail"])
            if len(search.entries) != 1:
                return None
            entry = search.entries[0]
            groups = set()
            if config["GROUP_SEARCH_BASE"]:
                member = f"(member={escape_filter_chars(entry.entry_dn)})"
                search.search(config["GROUP_SEARCH_BASE"], member, SUBTREE)
                groups = {group.entry_dn.lower() for group in search.entries}
        if config["REQUIRE_GROUP"] and config["REQUIRE_GROUP"].lower() not in groups:
            return None
        check = Connection(server, entry.entry_dn, password, receive_timeout=config["TIMEOUT"])
        try:
            return (entry.entry_attributes_as_dict, groups) if check.bind() else None
        finally:
            check.unbind()

    def update_user(self, config, username, attributes, groups):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            if not config["CREATE_USERS"]:
                return None
            user = get_user_model()(username=username)
            user.set_unusable_password()  # the directory keeps the password
        first = {name: (attributes.get(name) or [""])[0] for name in ("givenName", "sn", "mail")}
        user.first_name, user.last_name, user.email = first["givenName"], first["sn"], first["mail"]
        user.save()
        for group_dn, name in config["GROUPS"].items():
            group, _ = Group.objects.get_or_create(name=name)
            if group_dn.lower() in groups:
                user.groups.add(group)
            else:
                user.groups.remove(group)
        return user
