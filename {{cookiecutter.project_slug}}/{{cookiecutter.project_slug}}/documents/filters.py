import django_filters
from django.utils.translation import gettext_lazy as _

from ..lists.filters import FilterSet
from .models import Document


class DocumentFilter(FilterSet):
    title = django_filters.CharFilter(label=_("Title contains"), lookup_expr="icontains")

    class Meta:
        model = Document
        fields = ["title", "category"]
