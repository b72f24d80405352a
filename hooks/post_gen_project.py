"""Finish the generated project: write a first settings/local.py and apply the option rule.

The option rule lives in cookiecutter.json under "_options", the one place that says which
files and lines belong to which option; the template's tests read the same entries.
"""

import json
import os
import secrets
import shutil
import string
from pathlib import Path

# Django's own get_random_secret_key() alphabet, so keys look familiar.
SECRET_KEY_ALPHABET = string.ascii_lowercase + string.digits + "!@#$%^&*(-_=+)"
SLUG_PLACEHOLDER = "{{ '{{cookiecutter.project_slug}}' }}"


def new_secret_key():
    return "".join(secrets.choice(SECRET_KEY_ALPHABET) for _ in range(50))


def write_local_settings(package):
    """Dev-ready local.py: a fresh SECRET_KEY, SQLite from base.py, nothing else filled."""
    settings_dir = package / "settings"
    content = (
        '"""Settings of this machine only: never commit this file (see local.py.template)."""\n\n'
        f'SECRET_KEY = "{new_secret_key()}"\n'
    )
    # Readable by its owner only, from the first byte on: it holds the secrets (Windows keeps its own ACLs).
    descriptor = os.open(settings_dir / "local.py", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as local:
        local.write(content)


def remove(path):
    """Remove a file or folder, then the folders it leaves empty."""
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    parent = path.parent
    while parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def drop_lines(path, markers):
    """Remove every line of ``path`` that contains one of ``markers``."""
    if not path.exists():
        return
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not any(marker in line for marker in markers)]
    path.write_text("".join(kept), encoding="utf-8")


def apply_option(project, slug, rule, selected):
    """Keep or remove what ``rule`` claims; a variant <name>.<tag>.<ext> replaces <name>.<ext> when selected."""

    def here(relative):
        return project / relative.replace(SLUG_PLACEHOLDER, slug)

    if tag := rule.get("variants"):
        for variant in sorted(project.rglob(f"*.{tag}.*")):
            if selected:
                variant.replace(variant.with_name(variant.name.replace(f".{tag}.", ".", 1)))
            else:
                remove(variant)
    if selected:
        return
    for relative, markers in rule.get("lines", {}).items():
        drop_lines(here(relative), markers)
    for relative in rule.get("paths", []):
        remove(here(relative))


def main():
    answers = json.loads(r"""{{ cookiecutter | jsonify }}""")
    project = Path.cwd()
    slug = answers["project_slug"]
    write_local_settings(project / slug)
    for option, rule in answers["_options"].items():
        apply_option(project, slug, rule, answers[option])
    print(
        f"\nCreated {project}. Next steps, from the folder you baked in:\n"
        f"  cd {project.name}\n"
        "  python3 -m venv .venv       (Windows: py -m venv .venv)\n"
        "  . ./dovenv.sh               (Windows: dovenv.bat)\n"
        "  pip install -r requirements/dev.txt\n"
        "  python manage.py migrate\n"
        "  python manage.py dev_setup  (a superuser and example data, printed)\n"
        "  python tasks.py serve\n"
    )


if __name__ == "__main__":
    main()
