from django.conf import settings
from django.contrib.auth import get_permission_codename
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .current_user import get_current_user


class LookupModel(models.Model):
    """A lookup table: the values ``choices`` would hard-code, as rows that change without a deploy.

    Subclasses keep the ordering by name: ``class Meta(LookupModel.Meta)``.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class UserDateQuerySet(models.QuerySet):
    def for_user(self, user, action="view"):
        """Rows ``user`` may ``action`` ("view", "change" or "delete"): all with that permission, else their own.

        As in Django's admin, the change permission lets a user see rows too.
        """
        if not user.is_authenticated:
            return self.none()
        opts = self.model._meta
        actions = {"view", "change"} if action == "view" else {action}
        if any(user.has_perm(f"{opts.app_label}.{get_permission_codename(name, opts)}") for name in actions):
            return self
        return self.filter(created_by=user.pk)


def acting_user(**kwargs):
    """Who the change history records: the user the audit fields name."""
    return get_current_user()


class VersionRecords(HistoricalRecords):
    """django-simple-history's records, each model's named in the project's language ("document: version");
    its own name, "historical document", is English, fixed when the class is made (3.1.2)."""

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        options["verbose_name"] = format_lazy(_("{}: version"), model._meta.verbose_name)
        options["verbose_name_plural"] = format_lazy(_("{}: versions"), model._meta.verbose_name_plural)
        return options


class UserDateAbstractModel(models.Model):
    """Records when a row was created and last changed, and by whom; ``history`` keeps every change.

    The user comes from the current request or from
    ``core.current_user.acting_as()``; saves with neither (anonymous requests, the
    shell, data migrations) leave the user fields untouched. ``bulk_create``,
    ``QuerySet.update`` and historical models in migrations do not call
    ``save()`` and so bypass it: set the fields yourself there.
    """

    # Indexed: lists sort by them (newest first), and a million rows must not be sorted on every page.
    created_on = models.DateTimeField(_("created on"), auto_now_add=True, db_index=True)
    modified_on = models.DateTimeField(_("modified on"), auto_now=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("modified by"),
    )

    objects = UserDateQuerySet.as_manager()
    # A historical row per create, change and delete, kept after the row is gone (core/history.py).
    history = VersionRecords(inherit=True, get_user=acting_user)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        user = get_current_user()
        audit_fields = {"modified_on"}
        if user is not None:
            if self._state.adding:
                self.created_by = user
            self.modified_by = user
            audit_fields.add("modified_by")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *audit_fields}
        super().save(*args, **kwargs)
