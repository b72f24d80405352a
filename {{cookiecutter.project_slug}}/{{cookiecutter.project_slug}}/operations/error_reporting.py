"""Error reports to Sentry or a self-hosted GlitchTip (same protocol), when local.py names a DSN.

Mail to ADMINS goes on either way (settings LOGGING). Reports carry the traceback, the URL's path and
the release, never personal data: no user, client address, cookies, query, form data or local variables.
"""

import sentry_sdk


def start_error_reporting(dsn, *, environment, release):
    if not dsn:
        return
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "allowlist", "terms": ["accept", "content-type", "user-agent"]}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "stack_frame_variables": False,
            "database_query_data": False,
        },
    )
