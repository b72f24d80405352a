# Appended to a fresh `django-admin startproject bare` settings.py: production-like, one template folder.
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "intranet.example.com"]
TEMPLATES[0]["DIRS"] = [BASE_DIR / "templates"]  # noqa: F821
