"""Background tasks: Django's task API (django.tasks from Django 6.0, the django-tasks backport before it),
run from the database by django-tasks-db's worker (``python manage.py db_worker``; in production the
systemd unit deploy/<project>-worker.service, which starts at boot and again after each deploy).

Think twice before using one (docs/grow.md, "Background tasks"): a request that does its work itself is simpler
to reason about. When it must be later (mail, a long report), ``enqueue()`` it: the task runs as the user
who enqueued it, so its saves fill the audit fields and the change history with that user
(``acting_as``): the accountable person, so a superuser acting as someone else, not the person they act
as. A task that filters by someone's permissions takes that person's id as an argument. The row that
enqueues it is in the request's transaction, so a task never runs for work that was rolled back. A failed
task is logged as a failed request is (settings LOGGING): mailed to ADMINS and reported to Sentry.
"""

import functools

from django.contrib.auth import get_user_model

try:
    from django.tasks import task
except ImportError:  # Django 5.2
    from django_tasks import task

from ..core.current_user import acting_as, get_current_user


def user_task(function=None, **options):
    """``@user_task`` (or ``@user_task(priority=...)``, Django's task options): a task that runs as the user
    who enqueued it with ``enqueue()``."""

    def decorate(function):
        @functools.wraps(function)
        def run_as_user(*args, acting_user_id=None, **kwargs):
            users = get_user_model()._default_manager
            user = users.filter(pk=acting_user_id).first() if acting_user_id is not None else None
            with acting_as(user):
                return function(*args, **kwargs)

        return task(**options)(run_as_user)

    return decorate(function) if function else decorate


def enqueue(user_task, *args, **kwargs):
    """Enqueues a ``@user_task`` to run as the current user (the request's, or the one of ``acting_as``)."""
    user = get_current_user()
    return user_task.enqueue(*args, acting_user_id=user.pk if user else None, **kwargs)
