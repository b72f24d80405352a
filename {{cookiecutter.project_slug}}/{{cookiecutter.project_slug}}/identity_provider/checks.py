from urllib.parse import urlsplit

from django.core import checks

from .provider import GSIS_PRODUCTION, gsis_url, is_gsis, provider_settings


@checks.register(checks.Tags.security)
def check_profile(app_configs=None, **kwargs):
    profile = provider_settings()["PROFILE"]
    if profile == "oidc" or profile in GSIS_PRODUCTION:
        return []
    return [
        checks.Error(
            f"IDENTITY_PROVIDER['PROFILE'] is {profile!r}.",
            hint="Use 'oidc', 'gsis_pa' (civil servants) or 'gsis_citizen' (citizens).",
            id="identity_provider.E001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_provider_speaks_https(app_configs=None, **kwargs):
    config = provider_settings()
    url = gsis_url(config) if is_gsis(config) else config["METADATA_URL"]
    if not url or urlsplit(url).scheme == "https":
        return []
    return [
        checks.Warning(
            f"The identity provider is not reached over https: {url}",
            hint="The provider's keys, tokens and user-info must come over TLS: use its https:// address.",
            id="identity_provider.W001",
        )
    ]
