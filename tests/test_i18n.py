"""Translations: the committed catalogues are complete and compiled, and a Greek project speaks Greek."""

import os
import re
import subprocess

import pytest
from helpers import TEMPLATE

CATALOGUES = sorted(TEMPLATE.rglob("locale/*/LC_MESSAGES/django.po"))
GREEK_PAGES = """
import django
django.setup()
from django.test import Client
for url in ["/", "/accounts/login/", "/accounts/password_reset/", "/documents/"]:
    print(Client(HTTP_HOST="localhost").get(url, follow=True).content.decode())
"""


def messages(po_text):
    """(msgid, msgstr) pairs of a catalogue, header left out."""
    pairs = re.findall(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', po_text, flags=re.MULTILINE)
    join = lambda lines: "".join(re.findall(r'"(.*)"', lines))  # noqa: E731
    return [(join(msgid), join(msgstr)) for msgid, msgstr in pairs if join(msgid)]


def test_there_are_catalogues_for_the_project_and_the_example_app():
    assert {path.relative_to(TEMPLATE).parts[0] for path in CATALOGUES} == {"locale", "{{cookiecutter.project_slug}}"}


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: str(path.relative_to(TEMPLATE)))
def test_every_message_is_translated_with_the_same_placeholders(catalogue):
    pairs = messages(catalogue.read_text(encoding="utf-8"))
    assert len(pairs) >= 10
    for msgid, msgstr in pairs:
        assert msgstr and msgstr != msgid, msgid
        assert sorted(re.findall(r"%\(\w+\)s", msgstr)) == sorted(re.findall(r"%\(\w+\)s", msgid)), msgid


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: str(path.relative_to(TEMPLATE)))
def test_the_committed_mo_file_is_the_compiled_catalogue(need, catalogue, tmp_path):
    """Windows machines have no msgfmt: projects ship the .mo, which must never drift from the .po."""
    msgfmt = need("msgfmt")
    compiled = tmp_path / "django.mo"
    subprocess.run([msgfmt, "-o", str(compiled), str(catalogue)], check=True)
    assert catalogue.with_suffix(".mo").read_bytes() == compiled.read_bytes()


def test_makemessages_finds_no_string_the_catalogues_lack(need, bake_project, baked_python):
    """Every string the project marks for translation is in a catalogue (with a Greek translation)."""
    need("xgettext")
    project = bake_project(include_documents_app=True, use_unpoly=True)
    documents = project.path / project.slug / "documents"
    before = {path: path.read_text(encoding="utf-8") for path in project.path.rglob("locale/el/LC_MESSAGES/*.po")}
    ignored = [f"{project.slug}/documents/*", "app_template/*", ".venv/*"]
    project.manage("makemessages", "-l", "el", "--no-location", *(f"--ignore={pattern}" for pattern in ignored))
    # An app's own catalogue: makemessages run inside the app's folder.
    subprocess.run(
        [str(baked_python), "-m", "django", "makemessages", "-l", "el", "--no-location"],
        cwd=documents,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": f"{project.slug}.settings.dev", "PYTHONPATH": str(project.path)},
        check=True,
        capture_output=True,
    )
    after = {path: messages(path.read_text(encoding="utf-8")) for path in before}
    translated = {msgid for pairs in after.values() for msgid, msgstr in pairs if msgstr}
    for path, pairs in after.items():
        # Django merges the catalogues: the navigation's "Documents" is the documents app's to translate.
        missing = {msgid for msgid, msgstr in pairs if not msgstr} - translated
        assert missing == set(), f"{path.relative_to(project.path)}: {sorted(missing)}"


def test_a_greek_project_bakes_from_its_name_alone_and_speaks_greek(bake_project):
    project = bake_project(project_name="Μητρώο Αδειών", language_code="el")
    assert project.slug == "mitroo_adeion"
    project.manage("migrate", "--no-input", "-v0", settings="dev")
    pages = project.run("-c", GREEK_PAGES, settings="dev").stdout
    assert "Μητρώο Αδειών" in pages
    for greek in ["Σύνδεση", "Ξεχάσατε τον κωδικό πρόσβασης;", "Όνομα χρήστη", "Αποστολή συνδέσμου"]:
        assert greek in pages, greek
    for english in [">Log in<", "Forgot password?", "Username", "Send the link"]:
        assert english not in pages, english
    suite = project.run("-m", "pytest", "-q", "-p", "no:cacheprovider", timeout=900)
    assert re.search(r"\d+ passed", suite.stdout) and "failed" not in suite.stdout
