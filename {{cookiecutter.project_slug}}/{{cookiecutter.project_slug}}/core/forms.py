"""Model forms that edit their object's related rows too, in inline formsets on the same page."""

from django.db import transaction


class InlineFormsetsMixin:
    """For a ModelForm: edits the object's related rows in inline formsets, validated and saved with it.

    ``inlines`` maps a name to a formset class made with ``inlineformset_factory``; templates find the
    formsets in ``form.formsets`` under that name. The form builds them from its own data, files and
    instance, so CreateView, UpdateView and the mixins of core/editing.py work unchanged: the form
    is valid only when every formset is, and ``save()`` writes the object and its rows in one
    transaction, inside the request, so the rows' audit fields fill.
    """

    inlines = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound = {"data": self.data, "files": self.files} if self.is_bound else {}
        self.formsets = {name: formset(instance=self.instance, **bound) for name, formset in self.inlines.items()}

    def is_valid(self):
        # A list, not a generator: every formset validates, so each shows its errors.
        return all([super().is_valid(), *(formset.is_valid() for formset in self.formsets.values())])

    def save(self, commit=True):
        if not commit:
            raise ValueError("InlineFormsetsMixin saves the object and its formsets together: use save().")
        with transaction.atomic():
            instance = super().save()
            for formset in self.formsets.values():
                formset.instance = instance
                formset.save()
        return instance
