from django import template
from django.urls import reverse

register = template.Library()

# Numbers that stand in for Unpoly placeholders while reversing: long enough never to occur in a URL.
STAND_IN = 9_876_543_210_000


@register.simple_tag
def urlid(viewname, *args):
    """{% url %} that accepts Unpoly placeholders such as "$id", for up-accept-location and friends.

    ``{% urlid "orders:detail" "$id" %}`` gives ``/orders/$id/``: "$id" itself would not pass
    the <int:pk> converter, so a number stands in for it while reversing.
    """
    placeholders = {}
    reverse_args = []
    for position, arg in enumerate(args):
        if isinstance(arg, str) and arg.startswith("$"):
            stand_in = str(STAND_IN + position)
            placeholders[stand_in] = arg
            arg = stand_in
        reverse_args.append(arg)
    url = reverse(viewname, args=reverse_args)
    for stand_in, placeholder in placeholders.items():
        url = url.replace(stand_in, placeholder)
    return url
