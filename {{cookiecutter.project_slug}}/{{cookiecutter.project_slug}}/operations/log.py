"""Log lines a server's journal can be searched by: one line per event, each naming its request; and the
error mails to ADMINS.

nginx gives every request an id (X-Request-ID, see deploy/nginx-locations.conf) that its own log,
gunicorn's access log and these lines share: grep the journal for it to see one request's story.
"""

import logging
import os
import time
import traceback
from concurrent.futures import ThreadPoolExecutor, wait

from django.http import HttpRequest
from django.utils.log import AdminEmailHandler

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


# The errors whose last mail each worker remembers, at most, before it forgets those mailed an interval ago.
KEYS_KEPT = 1000


class ErrorMailHandler(AdminEmailHandler):
    """Django's mail to ADMINS for each error, but the same error at most once per ``interval`` seconds, and
    sent by a thread of its own (``in_background``): an outage that fails every request sends one mail, not
    hundreds, and no request waits for the mail server. The next mail of an error counts those not sent.

    Each gunicorn worker keeps its own count: a server with 5 workers mails an error at most 5 times an interval.
    """

    def __init__(self, *args, interval=300, in_background=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.interval = interval
        self.sender = None
        if in_background:
            self.start_sender()
            # gunicorn's workers are forks of a master that configured logging (preload_app): a fork copies
            # no thread, so each worker starts a sender of its own, or a mail the master sent would leave
            # the copy believing its thread is idle, and every later mail waiting for it.
            os.register_at_fork(after_in_child=self.start_sender)
        self.pending = []
        self.last_mailed = {}  # an error's key: (when it was last mailed, how many since went unmailed)
        self.unmailed = 0

    def emit(self, record):
        # Handler.handle() holds the handler's lock here: one record at a time.
        key = error_key(record)
        now = time.monotonic()
        mailed_at, unmailed = self.last_mailed.get(key, (None, 0))
        if mailed_at is not None and now - mailed_at < self.interval:
            self.last_mailed[key] = (mailed_at, unmailed + 1)
            return
        if len(self.last_mailed) >= KEYS_KEPT:  # errors whose messages vary without end: forget the quiet ones
            self.last_mailed = {k: v for k, v in self.last_mailed.items() if now - v[0] < self.interval}
        self.last_mailed[key] = (now, 0)
        self.unmailed = unmailed
        super().emit(record)

    def format_subject(self, subject):
        more = f" ({self.unmailed} more like it since the last mail)" if self.unmailed else ""
        return super().format_subject(subject + more)

    def start_sender(self):
        self.sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="error-mail")
        self.pending = []

    def send_mail(self, *args, **kwargs):
        if self.sender is None:
            return super().send_mail(*args, **kwargs)
        sending = self.sender.submit(super().send_mail, *args, **kwargs)
        self.pending = [*(future for future in self.pending if not future.done()), sending]

    def flush(self):
        """Waits for the mails on their way."""
        wait(self.pending)


def error_key(record):
    """What makes two records the same error: the logger, and the exception's type, message and innermost line
    (the path of a failed request is no part of it: an outage fails every page), or the message unformatted."""
    if not record.exc_info or record.exc_info[1] is None:
        return record.name, str(record.msg)
    error = record.exc_info[1]
    frames = traceback.extract_tb(error.__traceback__)
    where = (frames[-1].filename, frames[-1].lineno) if frames else None
    return record.name, type(error).__qualname__, str(error)[:200], where
