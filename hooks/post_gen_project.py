"""Finish the generated project: write a first settings/local.py and apply the option rule (option_rule.py)."""

import json
import os
import secrets
import string
import subprocess
import sys
import tempfile
from pathlib import Path

TEMPLATE = r"""{{ template_repository }}"""
sys.path.insert(0, TEMPLATE)
import option_rule  # noqa: E402

# Django's own get_random_secret_key() alphabet, so keys look familiar.
SECRET_KEY_ALPHABET = string.ascii_lowercase + string.digits + "!@#$%^&*(-_=+)"


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


def prune_locks(project):
    """The locks hold what every option needs: the project's locks.py drops what the options left out need alone."""
    sys.path.insert(0, str(project))
    import locks

    locks.prune(project / "requirements")


def template_git(*arguments):
    """Output of git in the template's folder, or None where it is no git checkout (or git is missing)."""
    try:
        result = subprocess.run(["git", *arguments], cwd=TEMPLATE, capture_output=True, text=True)
    except OSError:
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def write_tracking_file(project, answers):
    """.cruft.json: the template and commit this project comes from, and the answers, for python tasks.py update.

    cruft's format, so cruft reads it too (cruft create writes its own over it).
    """
    # Only the template's own checkout says its commit: not a copy inside another repository.
    top = template_git("rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() != Path(TEMPLATE).resolve():
        return
    commit = template_git("rev-parse", "HEAD")
    context = {name: value for name, value in answers.items() if not name.startswith("_")}
    tracking = {
        "template": template_git("remote", "get-url", "origin") or TEMPLATE,
        "commit": commit,
        "checkout": None,
        "context": {"cookiecutter": {**context, "_template": answers["_template"], "_commit": commit}},
        "directory": None,
        "skip": [f"{answers['project_slug']}/settings/local.py"],
    }
    text = json.dumps(tracking, indent=2, ensure_ascii=False) + "\n"
    (project / ".cruft.json").write_text(text, encoding="utf-8")


def rendered_by_cruft_to_compare(answers, project):
    """cruft update and cruft diff bake into a temporary folder, only to compare: nobody reads their output.

    cruft (create too) adds the template's commit to the answers; plain Cookiecutter does not.
    """
    return "_commit" in answers and project.parent.parent.resolve() == Path(tempfile.gettempdir()).resolve()


def main():
    answers = json.loads(r"""{{ cookiecutter | jsonify }}""")
    project = Path.cwd()
    write_local_settings(project / answers["project_slug"])
    option_rule.apply(project, answers)
    prune_locks(project)
    if rendered_by_cruft_to_compare(answers, project):
        return
    write_tracking_file(project, answers)
    print(
        f"\nCreated {project}. Next steps, from the folder you baked in:\n"
        f"  cd {project.name}\n"
        '  git init && git add -A && git commit -m "Baked from the template"\n'
        "  python3 -m venv .venv       (Windows: py -m venv .venv)\n"
        "  . ./dovenv.sh               (Windows: dovenv.bat)\n"
        "  pip install --require-hashes -r requirements/dev.txt   (the lock)\n"
        "  python manage.py migrate\n"
        "  python manage.py dev_setup  (a superuser and example data, printed)\n"
        "  python tasks.py serve\n"
    )


if __name__ == "__main__":
    main()
