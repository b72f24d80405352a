"""Settings shared by every environment.

Each environment module (dev, uat, prod, test) imports this first, overrides
what differs, then imports local.py last: local.py > environment > base.
No secrets here: they belong in local.py, which git ignores.
"""

from datetime import timedelta
from email.utils import formataddr
from pathlib import Path

# The project root: the folder with manage.py.
BASE_DIR = Path(__file__).resolve().parent.parent.parent

PROJECT_NAME = {{ cookiecutter.project_name | py_str }}
SECRET_KEY = ""
DEBUG = False
ALLOWED_HOSTS = []

# This project's own apps: python tasks.py startapp adds new ones at the end.
PROJECT_APPS = [
    "{{ cookiecutter.project_slug }}.core",
    "{{ cookiecutter.project_slug }}.files",
    "{{ cookiecutter.project_slug }}.lists",
    "{{ cookiecutter.project_slug }}.operations",
    "{{ cookiecutter.project_slug }}.background",
    "{{ cookiecutter.project_slug }}.unpoly",
    "{{ cookiecutter.project_slug }}.devtools",
    "{{ cookiecutter.project_slug }}.users",
    "{{ cookiecutter.project_slug }}.privacy",
    "{{ cookiecutter.project_slug }}.impersonation",
    "{{ cookiecutter.project_slug }}.directory",
    "{{ cookiecutter.project_slug }}.identity_provider",
    "{{ cookiecutter.project_slug }}.access_import",
    "{{ cookiecutter.project_slug }}.documents",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # For lists.indexes.TextFilterIndex's operator class on PostgreSQL; SQLite ignores it.
    "django.contrib.postgres",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tables2",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "hijack",
    # Background tasks (background/tasks.py): django_tasks is the backport of Django 6's django.tasks to 5.2.
    "django_tasks",
    "django_tasks_db",
    *PROJECT_APPS,
    # Last, as its documentation asks: deletes files left behind by changed or deleted rows.
    "django_cleanup.apps.CleanupConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(), then the second step of a login for those who owe it (users/two_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "{{ cookiecutter.project_slug }}.users.two_factor.TwoFactorMiddleware",
    "hijack.middleware.HijackUserMiddleware",
    "{{ cookiecutter.project_slug }}.impersonation.middleware.ImpersonationMiddleware",
    # After authentication: makes request.user reachable from models (see core/current_user.py).
    "{{ cookiecutter.project_slug }}.core.current_user.CurrentRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "{{ cookiecutter.project_slug }}.unpoly.middleware.UnpolyMiddleware",
    # Last, as its documentation asks: answers a locked-out login with the page of AXES_LOCKOUT_TEMPLATE.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy on every page, in every environment, so a violation shows on the laptop where
# it was written: scripts, styles, fonts, fetches and images from this site only (Bootstrap's icons are
# data: URIs), no inline script or style, no eval, no plugins, no framing, forms post to this site only.
# django-csp for Django 5.2; Django 6.0 has it built in (docs/update.md, "Upgrading Django").
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "{{ cookiecutter.project_slug }}.urls"
WSGI_APPLICATION = "{{ cookiecutter.project_slug }}.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "{{ cookiecutter.project_slug }}.core.context_processors.project",
            ],
        },
    },
]

# SQLite for development; uat/prod hosts set PostgreSQL in local.py (see local.py.template).
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Tasks wait in the database for the worker (python manage.py db_worker): no other server to run.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_USER_MODEL = "users.User"
# django-axes counts failed logins (the login page and the admin's) before any other backend is asked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "{{ cookiecutter.project_slug }}.directory.backends.DirectoryBackend",  # DIRECTORY in local.py
    "{{ cookiecutter.project_slug }}.identity_provider.backends.IdentityProviderBackend",  # IDENTITY_PROVIDER
]
# After 5 failures, a client may not log in as that username for 15 minutes; the user still can from
# anywhere else, so guessing cannot lock people out. nginx also slows login attempts per client.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False  # no banner on every manage.py command; failures and lockouts are still logged
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Staff and superusers must pair an authenticator app before any page (users/two_factor.py); others may.
# Privileged access to a public body's systems asks for it (NIS2); dev.py turns it off.
TWO_FACTOR_REQUIRED_FOR_STAFF = True
OTP_TOTP_ISSUER = PROJECT_NAME
HIJACK_PERMISSION_CHECK = "{{ cookiecutter.project_slug }}.impersonation.middleware.may_impersonate"
HIJACK_INSERT_BEFORE = None  # the project's banner (impersonation/), not the library's inline script
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The project speaks one language, chosen at bake time: no LocaleMiddleware, no language switch
# (docs/languages.md, "Languages" says how to add one). Its own translations are in locale/ and in each app's.
LANGUAGE_CODE = "{{ cookiecutter.language_code }}"
TIME_ZONE = "{{ cookiecutter.time_zone }}"
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# Prefixed with the project's name so several projects can share one nginx server.
STATIC_URL = "/static_{{ cookiecutter.project_slug }}/"
STATIC_ROOT = BASE_DIR / "collected_static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media_{{ cookiecutter.project_slug }}/"
MEDIA_ROOT = BASE_DIR / "media"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Content-hashed names, so browsers may cache static files forever.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

# Protected files live under SENDFILE_ROOT, are never served as public media,
# and reach users only through views that check permissions (django-sendfile2).
SENDFILE_ROOT = MEDIA_ROOT / "protected"
SENDFILE_URL = MEDIA_URL + "protected"
SENDFILE_BACKEND = "django_sendfile.backends.nginx"

# Signed PDFs (files/signatures.py). An uploaded PDF's signer is trusted when their certificate chains to one of
# these roots (certificate files, PEM or DER; local.py names them). PDFs the project makes are signed when
# PDF_SIGNING names the organisation's key: {"PKCS12": path, "PASSWORD": "...", "VISIBLE": True}.
SIGNATURE_TRUST_ROOTS = []
PDF_SIGNING = {}

# manage.py backup writes here (operations/backups.py) and keeps the newest BACKUP_KEEP. Copy the folder off
# the machine (docs/operate.md, "Operating the site"): a backup on the disk it protects is lost with it.
BACKUP_ROOT = BASE_DIR / "backups"
BACKUP_KEEP = 14

# What the servers run on a calendar: name -> (manage.py command and arguments, systemd's OnCalendar). A deploy
# makes each a systemd timer of the project's user on one host (docs/operate.md, "Scheduled jobs"); a job that
# fails is mailed to ADMINS like a failed request (manage.py run_job).
SCHEDULED_JOBS = {
    "backup": (["backup"], "*-*-* 02:30:00"),
    "clear-sessions": (["clearsessions"], "*-*-* 03:30:00"),
    "forget-old-logins": (["axes_reset_logs", "--age", "90"], "*-*-* 03:40:00"),
    "purge-old-history": (["purge_history"], "*-*-* 03:50:00"),
    "delete-orphan-uploads": (["delete_orphan_uploads"], "Sun *-*-* 04:00:00"),
}

# File types users may upload (files.media.validate_upload_extension on upload fields). Pages and
# scripts (.html, .svg, .js) would run on the site's origin if ever served inline: keep them out.
ALLOWED_UPLOAD_EXTENSIONS = ["pdf", "odt", "ods", "docx", "xlsx", "csv", "txt", "png", "jpg", "jpeg"]

# Pages a deploy asks the new release for, on a gunicorn of its own, before any user reaches it (besides
# /health/): any answer below 400 will do, a redirect to the login page too. As DEPLOY_SMOKE_USER when a
# host's local.py names one (a user with no staff rights, made for this), so pages behind the login count too.
DEPLOY_SMOKE_URLS = ["/"]
DEPLOY_SMOKE_USER = ""

# The most rows a list downloads as a file (lists.export): more would outlast the request timeout (an
# .xlsx of 100,000 rows took 33 s on a 2-CPU server, past gunicorn's 30).
EXPORT_MAX_ROWS = 50_000

# The accessibility statement (/accessibility/, linked from every page's footer), as the EU's model has it
# (Directive 2016/2102). Keep it true: set it in local.py of the production host after each review
# (docs/accessibility.md); check --deploy warns while it has no review date or no contact.
ACCESSIBILITY_STATEMENT = {
    # How the site meets WCAG 2.2 AA (EN 301 549) by the last review: "full", "partial" or "none".
    "conformance": "partial",
    # What does not meet it yet, a sentence each, in the project's language.
    "exceptions": [],
    # When the last review was made (a datetime.date), and how: by the team itself or by whom.
    "reviewed_on": None,
    "review_method": "",
    # Where people report a barrier or ask for content they cannot reach: an e-mail address.
    "contact": "",
    # Whom people turn to when the answer does not satisfy them, and how to reach them.
    "enforcement": "",
}

# Guideline checks (core.W...) this project breaks on purpose, each with the reason (docs/guidelines.md).
SILENCED_SYSTEM_CHECKS = []

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# The project's table markup (Bootstrap 5, scrolls sideways on narrow screens; see the template).
DJANGO_TABLES2_TEMPLATE = "table.html"

ADMINS = [
    (
        {{ cookiecutter.author_name | py_str }},
        {{ cookiecutter.author_email | py_str }},
    ),
]
# formataddr() quotes or encodes the name as mail headers need ("ACME, Inc.", Greek letters).
DEFAULT_FROM_EMAIL = formataddr(
    (PROJECT_NAME, "noreply@{{ cookiecutter.domain_name }}"),
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # Each error once per 5 minutes, sent after the request (operations/log.py).
        "mail_admins": {
            "class": "{{ cookiecutter.project_slug }}.operations.log.ErrorMailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        # Replaces Django's own console handler, which wrote every event a second time next to the root's.
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        # A forged Host header is noise from the internet: log it, don't mail ADMINS about it.
        "django.security.DisallowedHost": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # fpdf2 subsets the PDFs' font with fontTools, which logs each table it trims (files/pdf.py).
        "fontTools": {"level": "WARNING"},
        # Django 5.2's task backport logs a failed task here (Django 6 under "django"): mailed like a failed request.
        "django_tasks": {"handlers": ["mail_admins"], "level": "INFO"},
        # A scheduled job that failed (operations/management/commands/run_job.py).
        "{{ cookiecutter.project_slug }}.operations.jobs": {"handlers": ["mail_admins"], "level": "INFO"},
    },
}
