import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Document


class DocumentFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(label=_("Title contains"), lookup_expr="icontains")

    class Meta:
        model = Document
        fields = ["title", "category"]
