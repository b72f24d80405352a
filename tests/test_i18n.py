"""Translations: the committed catalogues are complete and compiled, and a Greek project speaks Greek."""

import re
import subprocess

import pytest
from helpers import ALL_OPTIONS_ON, TEMPLATE

# The app scaffold's catalogue is a template, compiled by startapp (tests/test_apps_added_later.py).
CATALOGUES = sorted(
    path for path in TEMPLATE.rglob("locale/*/LC_MESSAGES/django.po") if "app_template" not in path.parts
)
GREEK_PAGES = """
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
for url in ["/", "/accounts/login/", "/accounts/password_reset/", "/documents/"]:
    print(Client(HTTP_HOST="localhost").get(url, follow=True).content.decode())
admin = Client(HTTP_HOST="localhost")
admin.force_login(get_user_model().objects.get(username="admin"))
for url in ["/admin/", "/documents/", "/documents/new/"]:
    print(admin.get(url).content.decode())
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
    assert len(pairs) >= 3, "the smallest catalogue, identity_provider's, has three messages"
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


def test_makemessages_finds_no_string_the_catalogues_lack(need, bake_project):
    """`python tasks.py messages` adds nothing to any catalogue: every marked string is in its own, translated."""
    need("xgettext")
    project = bake_project(**ALL_OPTIONS_ON)
    catalogues = sorted(project.path.rglob("locale/el/LC_MESSAGES/*.po"))
    for app in ("documents", "impersonation", "identity_provider"):
        assert project.path / project.slug / app / "locale" / "el" / "LC_MESSAGES" / "django.po" in catalogues
    before = {path: messages(path.read_text(encoding="utf-8")) for path in catalogues}
    project.run("tasks.py", "messages")
    for path in catalogues:
        after = messages(path.read_text(encoding="utf-8"))
        new = {msgid for msgid, _ in after} - {msgid for msgid, _ in before[path]}
        assert new == set(), f"{path.relative_to(project.path)} lacked {sorted(new)}"
        assert [msgid for msgid, msgstr in after if not msgstr] == [], path.relative_to(project.path)


def test_a_greek_project_bakes_from_its_name_alone_and_speaks_greek(bake_project):
    project = bake_project(project_name="Μητρώο Αδειών", language_code="el")
    assert project.slug == "mitroo_adeion"
    project.manage("migrate", "--no-input", "-v0", settings="dev")
    project.manage("dev_setup", settings="dev")
    pages = project.run("-c", GREEK_PAGES, settings="dev").stdout
    assert "Μητρώο Αδειών" in pages
    # The admin is the project's, in Greek; the example rows are Greek too.
    assert '<div id="site-name"><a href="/admin/">Μητρώο Αδειών</a></div>' in pages
    greek = ["Σύνδεση", "Ξεχάσατε τον κωδικό πρόσβασης;", "Όνομα χρήστη", "Αποστολή συνδέσμου", "Χρήστες", "Συμβάσεις"]
    for word in [*greek, "Τιμολόγια", "Εκθέσεις", "Έγκριση", "Ενημέρωση"]:
        assert word in pages, word
    english = [">Log in<", "Forgot password?", "Username", "Send the link", "Django", ">Users<", "Contracts"]
    for word in [*english, "Invoices", "Reports", "Approver", "Reader"]:
        assert word not in pages, word
    suite = project.run("-m", "pytest", "-q", "-p", "no:cacheprovider", timeout=900)
    assert re.search(r"\d+ passed", suite.stdout) and "failed" not in suite.stdout
