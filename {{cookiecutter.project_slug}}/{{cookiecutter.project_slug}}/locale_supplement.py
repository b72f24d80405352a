"""Strings of Django's admin and of the third-party apps that their own catalogues lack in Greek.

Nothing imports this module: ``python tasks.py messages`` (makemessages) reads it, so that locale/ keeps
these strings with their translations. Django reads locale/ (LOCALE_PATHS) before the apps' catalogues, so
a Greek admin shows them in Greek. core/tests/test_translations.py finds any string the admin shows
untranslated; add it here, then run ``python tasks.py messages`` and translate it in locale/el.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

# Django's admin (5.2): strings newer than its Greek catalogue.
ADMIN = [
    gettext_noop("Skip to main content"),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Sidebar"),
    gettext_noop("Start typing to filter…"),
    gettext_noop("Filter navigation items"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Model name"),
    gettext_noop("Show counts"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Password-based authentication"),
    gettext_noop("Enabled"),
    gettext_noop("Disabled"),
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. If disabled, they may still be "
        "able to authenticate using other backends, such as Single Sign-On or LDAP."
    ),
    # Django 6.x's, for the project on the next LTS (docs/update.md, "Upgrading Django").
    gettext_noop("- Select an option -"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Pagination %(name)s"),
    gettext_noop("Run"),
    gettext_noop("Search %(name)s"),
]
# django-axes: the failed logins and lockouts in the admin.
AXES = [
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Time"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("IP Address"),
    gettext_noop("Locked Out"),
    gettext_noop("Logout Time"),
    gettext_noop("Path"),
    gettext_noop("User Agent"),
    gettext_noop("Username"),
]
# The tasks' database backend: its results in the admin.
TASKS = [
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("priority"),
    gettext_noop("status"),
    gettext_noop("queue name"),
    pgettext_lazy("Task", "Ready"),
    pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
]
