"""An HTTP client for servers on loopback: cookies kept, paths sent exactly as given, no redirects followed."""

import http.client
import secrets
import socket
import ssl
import urllib.parse
from dataclasses import dataclass
from http.cookies import SimpleCookie

from tools.processes import ServerError


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")


class Client:
    """A small HTTPS client that keeps cookies, sends paths exactly as given and never follows redirects."""

    def __init__(self, host, port, *, https=True, server_name=None, timeout=30):
        """Connects to ``host``; names ``server_name`` (default: ``host``) in the Host header and TLS SNI."""
        self.host, self.port, self.https, self.timeout = host, port, https, timeout
        self.server_name = server_name or host
        self.cookies = SimpleCookie()

    def connection(self):
        if self.https:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE  # the tests' self-signed certificate
            connection = http.client.HTTPSConnection(
                self.server_name, self.port, context=context, timeout=self.timeout
            )
        else:
            connection = http.client.HTTPConnection(self.server_name, self.port, timeout=self.timeout)
        # Resolve the name to ``host`` ourselves: http.client uses its host argument for SNI and Host alike.
        connection._create_connection = lambda address, *args, **kwargs: socket.create_connection(
            (self.host, address[1]), *args, **kwargs
        )
        return connection

    @property
    def origin(self):
        return f"{'https' if self.https else 'http'}://{self.server_name}:{self.port}"

    def request(self, method, path, *, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={morsel.value}" for name, morsel in self.cookies.items())
        connection = self.connection()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            result = Response(response.status, response.headers, response.read())
        finally:
            connection.close()
        for header in result.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        return result

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data, files=None):
        """A form POST, with the Referer Django's CSRF check wants over HTTPS; ``files``: {field: (name, bytes)}."""
        data = {"csrfmiddlewaretoken": self.cookies["csrftoken"].value, **data}
        if files:
            content_type, body = multipart_form_data(data, files)
        else:
            content_type, body = "application/x-www-form-urlencoded", urllib.parse.urlencode(data)
        headers = {"Content-Type": content_type, "Referer": self.origin + path}
        return self.request("POST", path, body=body, headers=headers)

    def log_in(self, username, password):
        self.get("/accounts/login/")
        response = self.post("/accounts/login/", {"username": username, "password": password})
        if response.status != 302:
            raise ServerError(f"login as {username} failed ({response.status}): {response.text[:2000]}")
        return response


def multipart_form_data(data, files):
    """(Content-Type, body) of a multipart/form-data POST: ``data`` {name: text}, ``files`` {name: (name, bytes)}."""
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in data.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (file_name, content) in files.items():
        # As browsers send it: UTF-8, quotes escaped.
        quoted = file_name.replace('"', "%22")
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{quoted}"\r\n'
        parts.append(f"{head}Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
    return f"multipart/form-data; boundary={boundary}", b"".join(parts) + f"--{boundary}--\r\n".encode()


def unix_socket_get(socket_path, path, headers):
    """GET straight from gunicorn's socket, bypassing nginx; the body is what arrived before the socket closed.

    (An X-Accel-Redirect answer announces the file's Content-Length but sends no body.)
    """

    class UnixConnection(http.client.HTTPConnection):
        def connect(self):
            self.sock = socket.socket(socket.AF_UNIX)
            self.sock.connect(str(socket_path))

    connection = UnixConnection("localhost", timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        try:
            body = response.read()
        except http.client.IncompleteRead as error:
            body = error.partial
        return Response(response.status, response.headers, body)
    finally:
        connection.close()
