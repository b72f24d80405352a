"""Sign-in through the organisation's identity provider: OpenID Connect (Keycloak, ADFS, Entra ID), or the Greek
public administration's OAuth2 (GSIS: its civil servants' accounts, or citizens' TaxisNet accounts).

Authlib runs the authorization code flow. OpenID Connect: the provider's endpoints and keys from its discovery
document, PKCE, state and nonce kept in the session, and the ID token's signature, issuer, audience, expiry
and nonce checked before anything in it is believed. GSIS is plain OAuth2 (state, no ID token): who signed in
is what its user-info endpoint answers, in XML, read with defusedxml. A person who signs in gets the account
users/identities.py gives them (the same rules as directory login), their names and email, and the Django
groups that IDENTITY_PROVIDER["GROUPS"] maps from the groups claim, at each sign-in.
"""

from urllib.parse import urlencode

from authlib.integrations.django_client import OAuth
from defusedxml.ElementTree import fromstring
from django.conf import settings

DEFAULTS = {
    "PROFILE": "oidc",  # "oidc"; "gsis_pa": civil servants (oAuth2.0.PA); "gsis_citizen": citizens (TaxisNet)
    "METADATA_URL": "",  # OpenID Connect: https://sso.example.org/realms/staff/.well-known/openid-configuration
    "GSIS_URL": "",  # GSIS: empty for production; its test environment's address while testing (docs/login.md)
    "CLIENT_ID": "",
    "CLIENT_SECRET": "",
    "SCOPE": "openid profile email",  # GSIS: "read", whatever this says
    "USERNAME_CLAIM": "preferred_username",  # Entra ID and ADFS: "upn"; GSIS: "userid" (civil servants), "taxid"
    "TAX_NUMBER_CLAIM": "taxid",  # GSIS's name for the ΑΦΜ; an OpenID Connect provider may send it as well
    # GSIS's user-info names no organisation; Keycloak's "organization" scope sends this claim.
    "ORGANISATION_CLAIM": "organization",
    "GROUPS_CLAIM": "groups",  # Keycloak needs a "groups" mapper; Entra ID sends group ids
    "GROUPS": {},  # {group in the claim: Django group name}
    "CREATE_USERS": False,  # False: only people with an account here (made in the admin) sign in
    # The provider asked for a second step (RFC 8176's amr values, or an acr the provider names for it):
    # staff then owe no code here. Empty lists: everybody's second step is this project's own.
    "SECOND_STEP_AMR": ["mfa", "otp", "hwk", "sc"],
    "SECOND_STEP_ACR": [],
    "TIMEOUT": 5,  # seconds for each call to the provider
}
# The published production addresses of the GSIS services; GSIS_URL replaces them (the test environment).
GSIS_PRODUCTION = {
    "gsis_pa": "https://oauth2.gsis.gr/oauth2servergov",
    "gsis_citizen": "https://www1.gsis.gr/oauth2server",
}
GSIS_USERNAME = {"gsis_pa": "userid", "gsis_citizen": "taxid"}
USER_INFO_LIMIT = 64 * 1024  # bytes: a person's user-info is a few hundred
SOURCE = "identity provider"


def provider_settings():
    config = {**DEFAULTS, **getattr(settings, "IDENTITY_PROVIDER", {})}
    if is_gsis(config) and "USERNAME_CLAIM" not in getattr(settings, "IDENTITY_PROVIDER", {}):
        config["USERNAME_CLAIM"] = GSIS_USERNAME[config["PROFILE"]]
    return config


def is_gsis(config):
    return config["PROFILE"] in GSIS_PRODUCTION


def gsis_url(config):
    return (config["GSIS_URL"] or GSIS_PRODUCTION[config["PROFILE"]]).rstrip("/")


def client():
    """Authlib's client for the provider, made per sign-in: settings that change (tests) and keys that rotate
    are read afresh, at the cost of one request for the discovery document."""
    config = provider_settings()
    kwargs = {"default_timeout": config["TIMEOUT"]}
    if is_gsis(config):
        base = gsis_url(config)
        endpoints = {
            "authorize_url": f"{base}/oauth/authorize",
            "access_token_url": f"{base}/oauth/token",
            "api_base_url": f"{base}/",
        }
        kwargs.update(scope="read", token_endpoint_auth_method="client_secret_post")
    else:
        endpoints = {"server_metadata_url": config["METADATA_URL"]}
        kwargs.update(scope=config["SCOPE"], code_challenge_method="S256")
    return OAuth().register(
        "provider",
        client_id=config["CLIENT_ID"],
        client_secret=config["CLIENT_SECRET"],
        client_kwargs=kwargs,
        **endpoints,
    )


def gsis_claims(provider, token):
    """The attributes of GSIS's <userinfo> element: userid, taxid (ΑΦΜ), firstname, lastname, fathername,
    mothername, birthyear. A DTD or an entity in the answer is refused (defusedxml), as is an answer too long."""
    response = provider.get("userinfo", params={"format": "xml"}, token=token)
    response.raise_for_status()
    if len(response.content) > USER_INFO_LIMIT:
        raise ValueError(f"the user-info answer is {len(response.content)} bytes long")
    root = fromstring(response.content, forbid_dtd=True)
    userinfo = root if root.tag == "userinfo" else root.find("userinfo")
    if userinfo is None:
        raise ValueError("the user-info answer holds no <userinfo>")
    claims = {name: value.strip() for name, value in userinfo.attrib.items()}
    claims.update(given_name=claims.get("firstname", ""), family_name=claims.get("lastname", ""))
    return claims


def asserted_second_step(claims, config):
    """Whether the ID token says the provider asked for more than a password."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    return bool(set(amr) & set(config["SECOND_STEP_AMR"])) or claims.get("acr") in config["SECOND_STEP_ACR"]


def end_session_url(provider, config, id_token, home):
    """Where the browser signs out at the provider, and comes back to ``home``."""
    if is_gsis(config):
        return f"{gsis_url(config)}/logout/{config['CLIENT_ID']}/?{urlencode({'url': home})}"
    return provider.create_logout_url(post_logout_redirect_uri=home, id_token_hint=id_token)["url"]
