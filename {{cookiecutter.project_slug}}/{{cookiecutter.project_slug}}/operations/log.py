"""Log lines a server's journal can be searched by: one line per event, each naming its request.

nginx gives every request an id (X-Request-ID, see deploy/nginx-locations.conf) that its own log,
gunicorn's access log and these lines share: grep the journal for it to see one request's story.
"""

import logging

from django.http import HttpRequest

from ..core.current_user import client_address, get_current_request


class RequestContext(logging.Filter):
    """Adds ``client`` and ``request_id`` to each record: those of the request it happened in, or "-"."""

    def filter(self, record):
        request = getattr(record, "request", None)
        if not isinstance(request, HttpRequest):
            request = get_current_request()
        record.client = (request and client_address(request)) or "-"
        record.request_id = (request and request.headers.get("X-Request-ID")) or "-"
        return True


class OneLineFormatter(logging.Formatter):
    """A traceback stays in its event's line (as \\n), so the journal never splits one event into many."""

    def format(self, record):
        return super().format(record).replace("\n", "\\n")
