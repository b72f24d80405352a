"""manage.py smoke_session: a session of DEPLOY_SMOKE_USER for the deploy's check of a new release (deploy/release.py).

It prints the session cookie's name and value; --end VALUE deletes that session again. Sessions last five
minutes at most, so one a failed deploy left behind expires soon (and the clear-sessions job removes it).
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.core.management.base import BaseCommand, CommandError

LIFETIME = 300


class Command(BaseCommand):
    help = "A short session of DEPLOY_SMOKE_USER (its cookie's name and value), or --end one."

    def add_arguments(self, parser):
        parser.add_argument("--end", metavar="VALUE", help="delete that session")

    def handle(self, *args, end, **options):
        store = import_module(settings.SESSION_ENGINE).SessionStore
        if end is not None:
            store(session_key=end).delete()
            return
        username = settings.DEPLOY_SMOKE_USER
        if not username:
            raise CommandError("DEPLOY_SMOKE_USER is not set: the deploy asks its pages anonymously.")
        user = get_user_model()._default_manager.filter(**{get_user_model().USERNAME_FIELD: username}).first()
        if user is None or not user.is_active:
            raise CommandError(f"DEPLOY_SMOKE_USER {username!r} is no active user: make one, with no staff rights.")
        if user.is_staff or user.is_superuser:
            raise CommandError(f"DEPLOY_SMOKE_USER {username!r} is staff: use a user made for the check, without.")
        session = store()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.set_expiry(LIFETIME)
        session.save()
        self.stdout.write(f"{settings.SESSION_COOKIE_NAME} {session.session_key}")
