"""Model forms that edit their object's related rows too, in inline formsets on the same page."""

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.forms import BaseInlineFormSet
from django.forms.models import InlineForeignKeyField


class InlineRowMixin:
    """What InlineFormSet adds to its rows' form: unique constraints that include the parent are the formset's
    to judge, on every row as it will be after the save (Django 6 checks each row alone against the
    database, so a row could not take the reviewer of a row deleted in the same save)."""

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        exclude.update(name for name, field in self.fields.items() if isinstance(field, InlineForeignKeyField))
        return exclude


class InlineFormSet(BaseInlineFormSet):
    """The project's base for inline formsets: ``inlineformset_factory(..., formset=InlineFormSet)``, and
    ``formset = InlineFormSet`` on an admin inline.

    It builds at most ``max_num`` rows plus the extra ones, whatever TOTAL_FORMS a POST claims (Django
    would build up to 1,000 more): more is a form error. Unique constraints over the parent and other
    fields (one review per reviewer) are judged here, among the rows and against the saved ones, which
    Django 5.2 leaves to the database: a row taking a value another row holds is a row error, not a 500.
    A deleted row's values are free for the others, since deletions are saved first. Required fields say
    so to screen readers.
    """

    def __init_subclass__(cls, **kwargs):
        # inlineformset_factory() (and the admin) subclass this with the rows' form: give that form the mixin.
        super().__init_subclass__(**kwargs)
        if not issubclass(cls.form, InlineRowMixin):
            cls.form = type(cls.form.__name__, (InlineRowMixin, cls.form), {})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.absolute_max = min(self.absolute_max, self.max_num + self.extra)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Django leaves `required` off a formset's fields (a blank extra row is no error): screen readers
        # still learn which fields a filled row needs, as the "*" beside their labels shows.
        for field in form.fields.values():
            if field.required and not field.widget.is_hidden:
                field.widget.attrs["aria-required"] = "true"

    def clean(self):
        super().clean()
        saved = self.model._base_manager.filter(**{self.fk.name: self.instance.pk}) if self.instance.pk else None
        kept = [form for form in self.forms if form.is_valid() and not self._should_delete_form(form)]
        deleted = {form.instance.pk for form in self.forms if form.is_valid() and self._should_delete_form(form)}
        for fields in self.unique_fields_beside_parent():
            columns = [self.model._meta.get_field(name).attname for name in fields]
            rows = saved.values_list("pk", *columns) if saved is not None else []
            # Who holds each value: the saved rows that stay, then each kept row in turn.
            holders = {tuple(row[1:]): row[0] for row in rows if row[0] not in deleted}
            for form in kept:
                if not set(fields) <= form.cleaned_data.keys():
                    continue  # an empty extra row
                value = tuple(getattr(form.instance, column) for column in columns)
                holder = holders.setdefault(value, form.instance.pk or form)
                if holder not in (form.instance.pk, form):
                    message = form.instance.unique_error_message(self.model, (self.fk.name, *fields))
                    form.add_error(fields[0] if len(fields) == 1 else None, message)

    def unique_fields_beside_parent(self):
        """Each unique constraint that includes the parent, as its other fields: [("reviewer",)]."""
        options = self.model._meta
        unique_sets = [*options.unique_together, *(unique.fields for unique in options.total_unique_constraints)]
        parent = self.fk.name
        return [tuple(name for name in fields if name != parent) for fields in unique_sets if parent in fields]

    def save(self, commit=True):
        deleted = [form.instance for form in self.deleted_forms if form.instance.pk is not None]
        if commit:
            for row in deleted:
                self.delete_existing(row)
        saved = super().save(commit)
        self.deleted_objects = deleted
        return saved


class InlineFormsetsMixin:
    """For a ModelForm: edits the object's related rows in inline formsets, validated and saved with it.

    ``inlines`` maps a name to a formset class made with ``inlineformset_factory(..., formset=InlineFormSet)``;
    templates find the formsets in ``form.formsets`` under that name. The form builds them from its own
    data, files and instance, so CreateView, UpdateView and the mixins of core/editing.py work
    unchanged: the form is valid only when every formset is, and ``save()`` writes the object and its
    rows in one transaction, inside the request, so the rows' audit fields fill.
    """

    inlines = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, formset in self.inlines.items():
            if not issubclass(formset, InlineFormSet):
                message = f"{type(self).__name__}.inlines[{name!r}]: make it with formset=InlineFormSet."
                raise ImproperlyConfigured(message)
        bound = {"data": self.data, "files": self.files} if self.is_bound else {}
        self.formsets = {name: formset(instance=self.instance, **bound) for name, formset in self.inlines.items()}

    def is_valid(self):
        # A list, not a generator: every formset validates, so each shows its errors.
        return all([super().is_valid(), *(formset.is_valid() for formset in self.formsets.values())])

    def save(self, commit=True):
        if not commit:
            raise ValueError("InlineFormsetsMixin saves the object and its formsets together: use save().")
        objects = [self.instance, *(form.instance for formset in self.formsets.values() for form in formset.forms)]
        keys = [(obj, obj.pk, obj._state.adding) for obj in objects]
        try:
            with transaction.atomic():
                instance = super().save()
                for formset in self.formsets.values():
                    formset.instance = instance
                    formset.save()
        except IntegrityError:
            # The rollback undid the rows, not the keys they gave the objects: render the form as it was posted.
            for obj, pk, adding in keys:
                obj.pk, obj._state.adding = pk, adding
            raise
        return instance
