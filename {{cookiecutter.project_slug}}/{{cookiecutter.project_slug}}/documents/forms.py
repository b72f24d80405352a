from django import forms
from django.db.models import Q
from django.forms import inlineformset_factory

from ..core.forms import InlineFormSet, InlineFormsetsMixin
from ..files.media import validate_upload_extension
from .models import Document, Review


class ReviewForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only active users can be picked, but a row keeps the reviewer it has, even once deactivated.
        reviewer = self.fields["reviewer"]
        reviewer.queryset = reviewer.queryset.filter(Q(is_active=True) | Q(pk=self.instance.reviewer_id))


ReviewFormSet = inlineformset_factory(
    Document,
    Review,
    form=ReviewForm,
    formset=InlineFormSet,
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

    def save(self, commit=True):
        if "file" in self.changed_data:
            upload = self.cleaned_data["file"]
            self.instance.check_file_signature(upload.read())
            upload.seek(0)  # to be saved from the start
        return super().save(commit)
