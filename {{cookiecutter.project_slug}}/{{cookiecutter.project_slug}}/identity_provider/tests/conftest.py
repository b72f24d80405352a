"""A real OpenID Connect provider for the tests, on 127.0.0.1: its discovery document, keys, token and end-session
endpoints over HTTP, its ID tokens signed with a key made for the run. Under /gsis/, GSIS's OAuth2 as its
specification has it: a token endpoint that takes the client's id and secret in the form, and a user-info
endpoint that answers <root><userinfo .../></root>. The tests play the browser at the provider's login page:
``provider.authorize(query)`` is what the provider answers once the person has signed in.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs
from xml.etree import ElementTree

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID, CLIENT_SECRET = "intranet", "client-secret"
PERSON = {
    "sub": "6b1f0c1e-9a43-4a35-a3d8-1f1e0c6f2a11",
    "preferred_username": "maria",
    "given_name": "Μαρία",
    "family_name": "Παπαδοπούλου",
    "email": "maria@example.org",
    "groups": ["clerks", "staff"],
}


# A civil servant as GSIS describes them; its tax numbers come padded with spaces.
CIVIL_SERVANT = {
    "userid": "mpapadopoulou",
    "taxid": "068933130   ",
    "lastname": "ΠΑΠΑΔΟΠΟΥΛΟΥ",
    "firstname": "ΜΑΡΙΑ",
    "fathername": "ΓΕΩΡΓΙΟΣ",
    "mothername": "ΕΛΕΝΗ",
    "birthyear": "1980",
}


class Provider:
    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
        self.codes = {}
        self.access_tokens = {}
        self.user_info = None  # the user-info answer's bytes, when a test writes its own
        self.delay = 0  # seconds each answer waits: a provider that hangs
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"

    def metadata(self):
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/logout",
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def authorize(self, query, **claims):
        """The code the provider sends the browser back with, for the request ``query`` (the parsed redirect)
        and an ID token with PERSON's claims, changed by ``claims`` (a claim given as None is left out)."""
        code = secrets.token_urlsafe()
        nonce = query["nonce"][0] if "nonce" in query else None
        token_claims = {"iss": self.issuer, "aud": CLIENT_ID, "iat": int(time.time()), "nonce": nonce}
        token_claims["exp"] = token_claims["iat"] + 300
        token_claims.update(PERSON)
        token_claims.update(claims)
        self.codes[code] = {
            "challenge": query["code_challenge"][0],
            "claims": {name: value for name, value in token_claims.items() if value is not None},
        }
        return code

    def authorize_gsis(self, query, **attributes):
        """As authorize(), for GSIS: the code for CIVIL_SERVANT, their attributes changed by ``attributes``."""
        code = secrets.token_urlsafe()
        self.codes[code] = {"redirect_uri": query["redirect_uri"][0], "attributes": {**CIVIL_SERVANT, **attributes}}
        return code

    def gsis_token(self, form):
        grant = self.codes.pop(form.get("code", ""), None)
        client = (form.get("client_id"), form.get("client_secret"))
        if grant is None or client != (CLIENT_ID, CLIENT_SECRET) or form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant"}
        access_token = secrets.token_urlsafe()
        self.access_tokens[access_token] = grant["attributes"]
        return 200, {"access_token": access_token, "token_type": "bearer", "expires_in": 3600, "scope": "read"}

    def gsis_user_info(self, authorization):
        attributes = self.access_tokens.get(authorization.removeprefix("Bearer "))
        if attributes is None:
            return 401, b"<error>invalid_token</error>"
        if self.user_info is not None:
            return 200, self.user_info
        element = ElementTree.Element("userinfo", attributes)
        return 200, f"<root>{ElementTree.tostring(element, encoding='unicode')}</root>".encode()

    def id_token(self, claims):
        return jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, self.key)

    def token(self, form):
        """The token endpoint: a code once, with the verifier of its PKCE challenge."""
        grant = self.codes.pop(form.get("code", ""), None)
        verifier = form.get("code_verifier", "").encode()
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
        if grant is None or grant["challenge"] != challenge:
            return 400, {"error": "invalid_grant"}
        return 200, {"access_token": "access", "token_type": "Bearer", "id_token": self.id_token(grant["claims"])}

    def handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def answer(self, status, body):
                time.sleep(provider.delay)
                xml = isinstance(body, bytes)
                data = body if xml else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/xml" if xml else "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/.well-known/openid-configuration":
                    self.answer(200, provider.metadata())
                elif self.path == "/jwks":
                    self.answer(200, {"keys": [provider.key.as_dict(private=False)]})
                elif self.path == "/gsis/userinfo?format=xml":
                    self.answer(*provider.gsis_user_info(self.headers.get("Authorization", "")))
                else:
                    self.answer(404, {})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {name: values[0] for name, values in parse_qs(self.rfile.read(length).decode()).items()}
                if self.path == "/token":
                    self.answer(*provider.token(form))
                elif self.path == "/gsis/oauth/token":
                    self.answer(*provider.gsis_token(form))
                else:
                    self.answer(404, {})

            def log_message(self, *arguments):
                pass

        return Handler


@pytest.fixture(scope="session")
def provider_server():
    provider = Provider()
    thread = threading.Thread(target=provider.server.serve_forever, daemon=True)
    thread.start()
    yield provider
    provider.server.shutdown()
    provider.server.server_close()


@pytest.fixture
def provider(settings, provider_server):
    """IDENTITY_PROVIDER as a server's local.py has it, for the provider above."""
    settings.IDENTITY_PROVIDER = {
        "METADATA_URL": f"{provider_server.issuer}/.well-known/openid-configuration",
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "GROUPS": {"clerks": "Clerks"},
        "CREATE_USERS": True,
        "TIMEOUT": 2,
    }
    provider_server.delay = 0
    provider_server.codes.clear()
    provider_server.user_info = None
    return provider_server


@pytest.fixture
def gsis(settings, provider):
    """IDENTITY_PROVIDER for GSIS's civil servants' sign-in, its address the test provider's /gsis/."""
    settings.IDENTITY_PROVIDER = {
        "PROFILE": "gsis_pa",
        "GSIS_URL": f"{provider.issuer}/gsis/",
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "CREATE_USERS": True,
        "TIMEOUT": 2,
    }
    return provider
