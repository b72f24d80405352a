"""Unpoly on the server: python-unpoly's ``request.up``, guarded (core/editing.py has the views' side)."""

import inspect

from django.utils.cache import patch_vary_headers
from unpoly import Unpoly
from unpoly.contrib.django import DjangoAdapter
from unpoly.options import Options

# The X-Up-* headers and _up_* parameters python-unpoly understands, e.g. "target" for X-Up-Target.
KNOWN_OPTIONS = {*inspect.signature(Options).parameters, "context_diff"}
# Options python-unpoly reads as a JSON object; anything else in them is dropped.
OBJECT_OPTIONS = {"context", "fail_context", "context_diff"}
# What instant filtering, sorting and paging replace (unpoly/static/js/application.js): django-tables2's
# wrapper.
TABLE_TARGET = ".table-container"


class GuardedAdapter(DjangoAdapter):
    """Reads only the options python-unpoly knows, in the shape it expects.

    python-unpoly raises TypeError for any other option, and anybody can add ``?_up_foo=1`` to a URL: a
    500 (and a mail to ADMINS) a request. Unknown options are ignored instead, as browsers ignore
    unknown headers, and so are malformed values.
    """

    def request_headers(self):
        return {
            name: value
            for name, value in self.request.headers.items()
            if not name.lower().startswith("x-up-") or self.is_usable(name[5:], value)
        }

    def request_params(self):
        return {
            name: value
            for name, value in self.request.GET.items()
            if not name.startswith("_up_") or self.is_usable(name[4:], value)
        }

    def is_usable(self, name, value):
        option = name.lower().replace("-", "_")
        if option in OBJECT_OPTIONS:
            return isinstance(self.deserialize_data(value), dict)
        return option in KNOWN_OPTIONS


class UnpolyMiddleware:
    """python-unpoly's middleware with the GuardedAdapter (``request.up`` on every request), and the table
    alone for a request that targets only the table."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.up = up = Unpoly(GuardedAdapter(request))
        response = self.get_response(request)
        up.finalize_response(response)
        return response

    def process_template_response(self, request, response):
        """A request for the table alone gets the table alone: no layout, navigation or filter form.

        Unpoly takes only the targeted fragment from a response; rendering the rest is wasted work on the
        request that every pause in typing a filter makes. Vary keeps caches from mixing the two answers.
        """
        if request.up.target == TABLE_TARGET and "table" in (response.context_data or {}):
            response.template_name = "partials/_table.html"
            patch_vary_headers(response, ["X-Up-Target"])
        return response
