"""Finish the generated project: write a first settings/local.py and prune unselected options."""

import json
import secrets
import shutil
import string
from pathlib import Path

# Django's own get_random_secret_key() alphabet, so keys look familiar.
SECRET_KEY_ALPHABET = string.ascii_lowercase + string.digits + "!@#$%^&*(-_=+)"


def new_secret_key():
    return "".join(secrets.choice(SECRET_KEY_ALPHABET) for _ in range(50))


def write_local_settings(package):
    """Dev-ready local.py: a fresh SECRET_KEY, SQLite from base.py, nothing else filled."""
    settings_dir = package / "settings"
    local = settings_dir / "local.py"
    local.write_text(
        '"""Settings of this machine only: never commit this file (see local.py.template)."""\n\n'
        f'SECRET_KEY = "{new_secret_key()}"\n',
        encoding="utf-8",
    )


def finish_jinja_files(project):
    """Files named *.j2 mix Django and Cookiecutter syntax; once rendered they take their real name."""
    for rendered in project.rglob("*.j2"):
        rendered.rename(rendered.with_suffix(""))


def unpoly_only_paths(project, package):
    """Files that exist only for use_unpoly; the templates they change are in <name>.unpoly.html variants."""
    return [
        project / "static" / "vendor" / "unpoly",
        project / "static" / "js",
        package / "core" / "unpoly.py",
        package / "core" / "templatetags",
        package / "core" / "tests" / "test_unpoly.py",
        package / "documents" / "tests" / "test_unpoly.py",
    ]


def apply_unpoly(project, package, use_unpoly):
    """With Unpoly, each <name>.unpoly.<ext> replaces <name>.<ext>; without it, every Unpoly file goes."""
    for variant in sorted(project.rglob("*.unpoly.*")):
        if use_unpoly:
            variant.replace(variant.with_name(variant.name.replace(".unpoly.", ".", 1)))
        else:
            variant.unlink()
    if not use_unpoly:
        for path in unpoly_only_paths(project, package):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)


def prune(project, package, answers):
    if not answers["include_documents_app"]:
        shutil.rmtree(package / "documents")
    apply_unpoly(project, package, answers["use_unpoly"])


def main():
    answers = json.loads(r"""{{ cookiecutter | jsonify }}""")
    project = Path.cwd()
    package = project / answers["project_slug"]
    write_local_settings(package)
    finish_jinja_files(project)
    prune(project, package, answers)
    print(
        f"\nCreated {project}.\n"
        "Next steps:\n"
        f"  cd {project.name}\n"
        "  python -m venv .venv   (then activate it: dovenv.bat on Windows, . ./dovenv.sh elsewhere)\n"
        "  pip install -r requirements/dev.txt\n"
        "  python manage.py migrate\n"
        "  python manage.py createsuperuser\n"
        "  python manage.py runserver_plus\n"
    )


if __name__ == "__main__":
    main()
