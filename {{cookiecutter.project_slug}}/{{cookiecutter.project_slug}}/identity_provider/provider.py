"""Sign-in through the organisation's identity provider (Keycloak, ADFS, Entra ID) with OpenID Connect.

Authlib runs the authorization code flow: the provider's endpoints and keys from its discovery document, PKCE,
state and nonce kept in the session, and the ID token's signature, issuer, audience, expiry and nonce
checked before anything in it is believed. A person who signs in gets the account users/identities.py
gives them (the same rules as directory login), their names and email, and the Django groups that
IDENTITY_PROVIDER["GROUPS"] maps from the groups claim, at each sign-in.
"""

from authlib.integrations.django_client import OAuth
from django.conf import settings

DEFAULTS = {
    "METADATA_URL": "",  # https://sso.example.org/realms/staff/.well-known/openid-configuration
    "CLIENT_ID": "",
    "CLIENT_SECRET": "",
    "SCOPE": "openid profile email",
    "USERNAME_CLAIM": "preferred_username",  # Entra ID: "upn"; ADFS: "upn" or "unique_name"
    "GROUPS_CLAIM": "groups",  # Keycloak needs a "groups" mapper; Entra ID sends group ids
    "GROUPS": {},  # {group in the claim: Django group name}
    "CREATE_USERS": False,  # False: only people with an account here (made in the admin) sign in
    # The provider asked for a second step (RFC 8176's amr values, or an acr the provider names for it):
    # staff then owe no code here. Empty lists: everybody's second step is this project's own.
    "SECOND_STEP_AMR": ["mfa", "otp", "hwk", "sc"],
    "SECOND_STEP_ACR": [],
    "TIMEOUT": 5,  # seconds for each call to the provider
}
SOURCE = "identity provider"


def provider_settings():
    return {**DEFAULTS, **getattr(settings, "IDENTITY_PROVIDER", {})}


def is_configured():
    return bool(provider_settings()["METADATA_URL"])


def client():
    """Authlib's client for the provider, made per sign-in: settings that change (tests) and keys that rotate
    are read afresh, at the cost of one request for the discovery document."""
    config = provider_settings()
    return OAuth().register(
        "provider",
        client_id=config["CLIENT_ID"],
        client_secret=config["CLIENT_SECRET"],
        server_metadata_url=config["METADATA_URL"],
        client_kwargs={
            "scope": config["SCOPE"],
            "code_challenge_method": "S256",
            "default_timeout": config["TIMEOUT"],
        },
    )


def asserted_second_step(claims, config):
    """Whether the ID token says the provider asked for more than a password."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    return bool(set(amr) & set(config["SECOND_STEP_AMR"])) or claims.get("acr") in config["SECOND_STEP_ACR"]
