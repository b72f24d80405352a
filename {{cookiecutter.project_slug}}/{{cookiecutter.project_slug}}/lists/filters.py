"""The project's base for django-filter filter sets."""

import django_filters


class FilterSet(django_filters.FilterSet):
    """Text filters take ``text_max_length`` characters at most: a longer value is a form error, not a
    query (50,000 characters made SQLite fail with "LIKE pattern too complex").

    The form's fields have ids of their own (id_filter_title): a form for the same model on the page, as
    in an overlay above the list, has id_title, and ids must be unique for labels to name fields.
    """

    text_max_length = 100

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for text_filter in self.filters.values():
            if isinstance(text_filter, django_filters.CharFilter):
                text_filter.extra.setdefault("max_length", self.text_max_length)

    @property
    def form(self):
        form = super().form
        form.auto_id = "id_filter_%s"
        return form
