"""Organization login: people log in with their directory account (LDAP, Active Directory), through ldap3.

ldap3 is pure Python, so it installs on a Windows laptop without a compiler (django-auth-ldap needs
python-ldap, a C extension). A directory user may log in when the directory accepts their password,
they are a member of DIRECTORY["REQUIRE_GROUP"] where it is set, and users/identities.py gives them an
account: the one linked to them, one made for them, or a new one where DIRECTORY["CREATE_USERS"] says
so; never a local account of the same name. Each login copies their name and email and sets their
Django groups from DIRECTORY["GROUPS"]. A user this project disabled (is_active off) stays out.

Passwords travel only inside TLS whose certificate is checked: ldaps://, or ldap:// upgraded with
StartTLS (START_TLS, on by default), against the system's authorities or DIRECTORY["CA_FILE"]. Local
accounts (the superusers) log in through ModelBackend, before this one asks the directory, so they
do when the directory is down; a directory user's login gives up after DIRECTORY["TIMEOUT"] seconds
then. Whatever goes wrong with the directory is a refused login (counted by django-axes) and a line
in the log, never an error page.
"""

import logging
import re
import ssl
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from ldap3 import AUTO_BIND_NO_TLS, AUTO_BIND_TLS_BEFORE_BIND, SUBTREE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPBindError
from ldap3.utils.conv import escape_filter_chars

from ..users.identities import linked_account, update_account

DEFAULTS = {
    "SERVER_URI": "",  # ldaps://dc1.example.org, or ldap://... (then StartTLS)
    "CA_FILE": "",  # the PEM file of the authority that issued the directory's certificate; empty: the system's
    "START_TLS": True,  # ldap://: upgrade to TLS before any password is sent; False sends them in clear
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
        except Exception as error:  # noqa: BLE001 - a peer that is no directory makes ldap3 fail in any way
            log.warning("Directory login failed (%s: %s); local accounts still log in.", type(error).__name__, error)
            return None
        if found is None:
            return None
        attributes, groups = found
        user = linked_account("directory", username, create_users=config["CREATE_USERS"])
        if user is None or not self.user_can_authenticate(user):
            return None
        first = {name: (attributes.get(name) or [""])[0] for name in ("givenName", "sn", "mail")}
        update_account(
            user,
            first_name=first["givenName"],
            last_name=first["sn"],
            email=first["mail"],
            groups=groups,
            group_names=config["GROUPS"],
        )
        return user

    def connection(self, config, server, user=None, password=None):
        """A bound connection; on ldap:// upgraded with StartTLS first (unless START_TLS is off)."""
        plain = server.ssl or not config["START_TLS"]
        return Connection(
            server,
            user,
            password,
            receive_timeout=config["TIMEOUT"],
            auto_bind=AUTO_BIND_NO_TLS if plain else AUTO_BIND_TLS_BEFORE_BIND,
        )

    def check_password(self, config, username, password):
        """(the user's attributes in the directory, the DNs of their groups), or None if it says no."""
        server = directory_server(config)
        with self.connection(config, server, config["BIND_DN"] or None, config["BIND_PASSWORD"] or None) as search:
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
        try:
            with self.connection(config, server, entry.entry_dn, password):
                return entry.entry_attributes_as_dict, groups
        except LDAPBindError:
            return None


def directory_server(config):
    """The directory, its certificate checked: its name, and an authority this host trusts or CA_FILE names."""
    name = urlsplit(config["SERVER_URI"]).hostname
    tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=config["CA_FILE"] or None, sni=name)
    return Server(config["SERVER_URI"], connect_timeout=config["TIMEOUT"], tls=tls)


def sends_passwords_in_clear(config):
    return config["SERVER_URI"].lower().startswith("ldap://") and not config["START_TLS"]
