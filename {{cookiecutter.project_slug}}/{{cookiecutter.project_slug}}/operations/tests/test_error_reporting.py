"""Error reports reach the DSN's server (a receiver on loopback here) without personal data."""

import gzip
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sentry_sdk
from django.test import Client
from django.urls import path

from ...core.testing import sends_mail
from ..error_reporting import start_error_reporting


def failing_view(request):
    raise RuntimeError("the error being reported")


urlpatterns = [path("fails/", failing_view)]


class Receiver(BaseHTTPRequestHandler):
    """Keeps each envelope POSTed to it, as Sentry or GlitchTip would."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.server.envelopes.append(body.decode())
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.envelopes = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def reporting_to(receiver, settings):
    settings.ROOT_URLCONF = __name__
    start_error_reporting(f"http://key@127.0.0.1:{receiver.server_port}/1", environment="test", release="r1")
    yield receiver.envelopes
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: nothing is sent by the tests that follow


def test_without_a_dsn_reporting_is_not_started():
    before = sentry_sdk.get_client()
    start_error_reporting("", environment="test", release="r1")
    assert sentry_sdk.get_client() is before


@sends_mail
def test_a_server_error_is_reported_without_personal_data(reporting_to, user, settings):
    user.email = "alice@example.com"
    user.save()
    client = Client(raise_request_exception=False)
    client.force_login(user)
    response = client.post(
        "/fails/?name=Παπαδόπουλος", {"national_id": "AK-123456"}, headers={"X-Forwarded-For": "203.0.113.5"}
    )
    assert response.status_code == 500
    sentry_sdk.flush()
    reports = "".join(reporting_to)
    assert "the error being reported" in reports
    assert '"environment":"test"' in reports
    assert '"release":"r1"' in reports
    assert "/fails/" in reports
    personal_data = ["alice", "AK-123456", "203.0.113.5", client.cookies["sessionid"].value]
    for personal in [*personal_data, "Παπαδόπουλος", "%CE%A0"]:
        assert personal not in reports
