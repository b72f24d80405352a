"""What the template's tests share: a baked project to run commands in, the option combinations, the files."""

import json
import os
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from option_rule import OPTIONS, REPO, SLUG_PLACEHOLDER

TEMPLATE = REPO / SLUG_PLACEHOLDER
DEFAULTS = json.loads((REPO / "cookiecutter.json").read_text(encoding="utf-8"))
# The option combinations each baked and fully checked: none, each option alone, all of them. They hold
# every pair of options in all four states (on and on, off and off, each on with the other off) in
# n + 2 bakes, where every combination would take 2 ** n.
COMBINATIONS = [
    dict.fromkeys(OPTIONS, False),
    *({**dict.fromkeys(OPTIONS, False), option: True} for option in OPTIONS),
    dict.fromkeys(OPTIONS, True),
]
ALL_OPTIONS_ON = dict.fromkeys(OPTIONS, True)
FILLED_LOCAL = 'SECRET_KEY = "{secret}"\nALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]\n'
# What a production host's local.py says once the site has been reviewed (docs/accessibility.md).
REVIEWED_STATEMENT = """
import datetime
ACCESSIBILITY_STATEMENT = {
    "conformance": "partial",
    "exceptions": ["The PDF cover sheets are not tagged."],
    "reviewed_on": datetime.date(2026, 11, 30),
    "review_method": "the team itself",
    "contact": "accessibility@example.org",
    "enforcement": "",
}
"""


def combination_id(combination):
    return "-".join(f"{name}={'on' if value else 'off'}" for name, value in combination.items())


def selected_options(answers):
    """Every option, on or off, as a bake with ``answers`` (the rest default) has it."""
    return {option: answers.get(option, DEFAULTS[option]) for option in OPTIONS}


def text_files(root):
    """(path, text) of every text file under ``root``, vendored files and virtualenvs left out."""
    for path in sorted(root.rglob("*")):
        if path.is_file() and "vendor" not in path.parts and ".venv" not in path.parts:
            try:
                yield path, path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue


@dataclass
class Project:
    """A baked project and the shared virtualenv that runs it."""

    path: Path
    python: Path
    options: dict

    @property
    def slug(self):
        return self.path.name

    def run(self, *arguments, settings=None, check=True, env=None, timeout=600):
        environment = {**os.environ, **(env or {})}
        if settings:
            environment["DJANGO_SETTINGS_MODULE"] = f"{self.slug}.settings.{settings}"
        result = subprocess.run(
            [str(self.python), *arguments],
            cwd=self.path,
            env=environment,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            pytest.fail(f"{' '.join(arguments)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result

    def manage(self, *arguments, **kwargs):
        return self.run("manage.py", *arguments, **kwargs)

    def fill_local(self, extra=""):
        """A local.py as a uat/prod host would have it (the database stays SQLite unless ``extra`` says)."""
        local = self.path / self.slug / "settings" / "local.py"
        local.write_text(FILLED_LOCAL.format(secret=secrets.token_urlsafe(50)) + extra, encoding="utf-8")


# A Greek project and the names of a two-model app's models in it (python tasks.py startapp ...).
GREEK_NAMES = ["--verbose-name", "οικοδομική άδεια", "--verbose-name-plural", "οικοδομικές άδειες"]
# A second model, named in the same order as the first.
GREEK_INSPECTION = ["--model", "Inspection", "--verbose-name", "αυτοψία", "--verbose-name-plural", "αυτοψίες"]
GREEK_WITHOUT_DOCUMENTS_WITH_UNPOLY = {
    "project_name": "Μητρώο Αδειών",
    "language_code": "el",
    "include_documents_app": False,
    "use_unpoly": True,
}
