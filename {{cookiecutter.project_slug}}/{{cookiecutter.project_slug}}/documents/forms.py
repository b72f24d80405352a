from django import forms
from django.forms import inlineformset_factory

from ..core.forms import InlineFormsetsMixin
from ..core.media import validate_upload_extension
from .models import Document, Review

ReviewFormSet = inlineformset_factory(
    Document,
    Review,
    fields=["reviewer", "role", "due_on"],
    widgets={"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")},
    # One empty row works without JavaScript; with it, "Add" clones more (static/js/formsets.js).
    extra=1,
    max_num=10,
    validate_max=True,
    can_delete_extra=False,
)


class DocumentForm(InlineFormsetsMixin, forms.ModelForm):
    inlines = {"reviews": ReviewFormSet}

    class Meta:
        model = Document
        fields = ["title", "category", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].validators.append(validate_upload_extension)
