from django.core import checks

from .backends import directory_settings, sends_passwords_in_clear


@checks.register(checks.Tags.security, deploy=True)
def check_passwords_travel_encrypted(app_configs=None, **kwargs):
    if not sends_passwords_in_clear(directory_settings()):
        return []
    return [
        checks.Warning(
            "DIRECTORY sends people's passwords to the directory in clear (ldap:// with START_TLS off).",
            hint="Use ldaps://, or ldap:// with START_TLS on (the default); name the directory's CA in CA_FILE.",
            id="directory.W001",
        )
    ]
