from urllib.parse import urlsplit

from django.core import checks

from .provider import provider_settings


@checks.register(checks.Tags.security, deploy=True)
def check_provider_speaks_https(app_configs=None, **kwargs):
    url = provider_settings()["METADATA_URL"]
    if not url or urlsplit(url).scheme == "https":
        return []
    return [
        checks.Warning(
            f"IDENTITY_PROVIDER['METADATA_URL'] is not https: {url}",
            hint="The provider's keys and tokens must come over TLS: use its https:// discovery address.",
            id="identity_provider.W001",
        )
    ]
