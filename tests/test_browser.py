"""Baked projects in a real browser: Debian's Chromium, headless, driven by Playwright.

The browser is the system's (/usr/bin/chromium): Playwright never downloads one here. Each test
bakes a project, migrates it, and serves it with the dev server on a free loopback port.
A failing test leaves a screenshot of the page and prints its path.
"""

import base64
import hmac
import io
import os
import re
import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import GREEK_INSPECTION, GREEK_NAMES, GREEK_WITHOUT_DOCUMENTS_WITH_UNPOLY
from openpyxl import load_workbook
from playwright.sync_api import expect

from tools.processes import free_port, http_answers, stop, wait_until

USERNAME = "alice"
PASSWORD = "a-browser-test-password"
PDF = {"name": "lease.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 a lease"}


DOCUMENTS_DATA = """
from {slug}.documents.models import Category, ReviewRole
Category.objects.create(name='Contracts')
for name in ['bob', 'carol']: get_user_model().objects.create_user(name)
for name in ['Approver', 'Reader']: ReviewRole.objects.create(name=name)
"""


@contextmanager
def served(project, env=None, data=DOCUMENTS_DATA):
    """The project migrated, with the user who logs in and ``data`` (Python run in its shell: by default a
    category and review roles of the documents app), behind runserver on 127.0.0.1 (with ``env`` added to
    its environment)."""
    project.manage("migrate", "--no-input", settings="dev")
    project.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        f"get_user_model().objects.create_user({USERNAME!r}, password={PASSWORD!r})\n"
        + data.format(slug=project.slug),
        settings="dev",
    )
    port = free_port()
    log = project.path / "runserver.log"
    base_url = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(project.python), "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=project.path,
            env={**os.environ, **(env or {})},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until(http_answers(base_url), server, log)
            yield base_url
        finally:
            stop(server)


def log_in(page, base_url):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("#main-nav")).to_contain_text(USERNAME)
    expect(page.locator("#main-nav button[form=logout-form]")).to_have_count(1)


@contextmanager
def signed_in(page, project):
    """The project served and ``page`` signed in to it: yields the base URL."""
    with served(project) as base_url:
        log_in(page, base_url)
        yield base_url


def expect_overlay_closed(page, *, message, listed):
    """The overlay is gone, the page below shows ``message`` and its reloaded list, in the same document."""
    expect(page.locator("up-modal")).to_have_count(0)
    expect(page.locator("#messages")).to_contain_text(message)
    expect(page.locator("#documents")).to_contain_text(listed)
    assert same_document(page)


def open_in_overlay(page, title):
    """Click the document's title in the list: the overlay it opens."""
    page.click(f"#documents >> text={title}")
    return page.locator("up-modal")


def mark_window(page):
    """A full page load forgets this marker; an Unpoly fragment update keeps it."""
    page.evaluate("window.sameDocument = true")


def same_document(page):
    return page.evaluate("window.sameDocument === true")


def test_unpoly_navigates_validates_and_edits_in_overlays(bake_project, page):
    with signed_in(page, bake_project(use_unpoly=True)) as base_url:
        mark_window(page)

        page.click("#main-nav >> text=Documents")
        expect(page.locator("main h1")).to_have_text("Documents")
        assert page.url == f"{base_url}/documents/"
        assert same_document(page), "following a nav link reloaded the whole page"
        # Navigation feedback from unpoly-bootstrap5: Bootstrap's "active" class on the current section.
        expect(page.locator("#main-nav a", has_text="Documents")).to_have_class(re.compile(r"\bactive\b"))

        page.click("main >> text=New document")
        overlay = page.locator("up-modal")
        expect(overlay.locator("h1")).to_have_text("New document")
        title = overlay.locator("#id_title")
        title.fill("   ")  # Django strips it: as good as empty
        title.blur()
        # Leaving the field validated it on the server: only its own error shows, nothing was submitted.
        expect(overlay.locator("#div_id_title")).to_contain_text("This field is required.")
        expect(overlay.locator("#div_id_category")).not_to_contain_text("This field is required.")

        overlay.locator("#id_category").select_option(label="Contracts")
        overlay.locator("#id_file").set_input_files(PDF)
        title.fill("Lease contract")
        title.blur()
        expect(overlay.locator("#div_id_title")).not_to_contain_text("This field is required.")
        overlay.locator("button[type=submit]").click()

        expect_overlay_closed(page, message="Document “Lease contract” was created.", listed="Lease contract")

        overlay = open_in_overlay(page, "Lease contract")
        expect(overlay.locator("h1")).to_have_text("Lease contract")
        expect(overlay.locator("dd a[download]")).to_have_text("lease.pdf")
        overlay.locator("text=Delete").click()
        expect(overlay.locator("h1")).to_have_text("Delete “Lease contract”?")
        overlay.locator("button[type=submit]").click()

        expect_overlay_closed(page, message="Document “Lease contract” was deleted.", listed="No documents yet.")


def test_unpoly_file_fields_show_their_errors_keep_good_files_and_flash_messages_show_once(bake_project, page):
    with signed_in(page, bake_project(use_unpoly=True)) as base_url:
        page.goto(f"{base_url}/documents/new/")
        # The page's own form comes first: up.validate("form") or up-target="form" is not the logout form.
        assert page.evaluate("document.querySelector('form').closest('main') !== null")
        page.fill("#id_title", "Lease contract")
        page.select_option("#id_category", label="Contracts")
        page.click("main button[type=submit]")
        # No file: the error shows and is announced, as any other field's.
        file_input = page.locator("#id_file")
        expect(file_input).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#div_id_file .invalid-feedback")).to_be_visible()
        expect(page.locator("#div_id_file .invalid-feedback")).to_contain_text("This field is required.")

        file_input.set_input_files({**PDF, "name": "lease.exe"})
        expect(page.locator("#div_id_file .invalid-feedback")).to_contain_text("not allowed")
        expect(page.locator("#div_id_file .invalid-feedback")).to_be_visible()
        # The refused file stays picked: the form, sent as it is, says again why, not only "required".
        with page.expect_response(lambda response: response.request.method == "POST"):
            page.click("main button[type=submit]")
        expect(page.locator("#div_id_file .invalid-feedback")).to_contain_text("not allowed")
        assert page.evaluate("document.querySelector('#id_file').files[0].name") == "lease.exe"

        file_input.set_input_files(PDF)
        expect(file_input).not_to_have_attribute("aria-invalid", "true")
        expect(page.locator("#div_id_file .invalid-feedback")).to_have_count(0)
        # Another field's error re-renders the form: the picked file stays.
        page.fill("#id_title", "")
        page.click("main button[type=submit]")
        expect(page.locator("#div_id_title .invalid-feedback")).to_be_visible()
        assert page.evaluate("document.querySelector('#id_file').files.length") == 1
        page.fill("#id_title", "Lease contract")
        page.click("main button[type=submit]")
        expect(page.locator("main h1")).to_have_text("Lease contract")
        expect(page.locator("#messages")).to_contain_text("was created")

        # A record created in an overlay, then opened: its message showed once, it is not served again from the cache.
        mark_window(page)
        page.click("#main-nav >> text=Documents")
        page.click("main >> text=New document")
        overlay = page.locator("up-modal")
        overlay.locator("#id_title").fill("Second lease")
        overlay.locator("#id_category").select_option(label="Contracts")
        overlay.locator("#id_file").set_input_files(PDF)
        overlay.locator("button[type=submit]").click()
        expect_overlay_closed(page, message="Document “Second lease” was created.", listed="Second lease")
        overlay = open_in_overlay(page, "Second lease")
        expect(overlay.locator("h1")).to_have_text("Second lease")
        page.wait_for_timeout(500)  # a revalidation from the server would come within this
        assert "was created" not in overlay.inner_text()


def test_without_unpoly_the_documents_app_works_with_plain_page_loads(bake_project, page):
    with signed_in(page, bake_project(use_unpoly=False)) as base_url:
        mark_window(page)

        page.click("#main-nav >> text=Documents")
        expect(page.locator("main h1")).to_have_text("Documents")
        assert not same_document(page), "without Unpoly a link is a full page load"
        assert page.evaluate("typeof window.up") == "undefined"

        page.click("main >> text=New document")
        expect(page.locator("main h1")).to_have_text("New document")
        page.fill("#id_title", "Lease contract")
        page.locator("#id_category").select_option(label="Contracts")
        page.locator("#id_file").set_input_files(PDF)
        page.click("main button[type=submit]")

        expect(page.locator("main h1")).to_have_text("Lease contract")
        expect(page.locator(".messages")).to_contain_text("Document “Lease contract” was created.")
        page.click("main >> text=Back to the list")
        expect(page.locator("main table")).to_contain_text("Lease contract")

        # A phone's width: the page never scrolls sideways (the table scrolls inside its own box).
        page.set_viewport_size({"width": 390, "height": 844})
        for path in ["/", "/documents/", "/accounts/password_change/"]:
            page.goto(f"{base_url}{path}")
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path


def add_reviewer(page, scope, row, reviewer, role, due):
    scope.locator(f"#id_reviews-{row}-reviewer").select_option(label=reviewer)
    scope.locator(f"#id_reviews-{row}-role").select_option(label=role)
    scope.locator(f"#id_reviews-{row}-due_on").fill(due)


def validation_of(field):
    """Matches the response to an Unpoly validation pass of ``field`` (one pass may batch several fields)."""
    return lambda response: field in response.request.headers.get("x-up-validate", "").split()


def rows(scope):
    return scope.locator("[data-formset=reviews] [data-formset-row]")


def create_with_reviewers(page, scope):
    """Fills the new-document form in ``scope`` with two reviewers; a middle row added and removed again."""
    scope.locator("#id_title").fill("Lease contract")
    scope.locator("#id_category").select_option(label="Contracts")
    scope.locator("#id_file").set_input_files(PDF)
    expect(rows(scope)).to_have_count(1)  # the empty row the page comes with, as it is without JavaScript
    add_reviewer(page, scope, 0, "bob", "Approver", "2027-01-15")
    scope.locator("[data-formset-add]").click()
    add_reviewer(page, scope, 1, "bob", "Reader", "2027-01-20")
    scope.locator("[data-formset-add]").click()
    add_reviewer(page, scope, 2, "carol", "Reader", "2027-02-01")
    rows(scope).nth(1).get_by_role("button", name="Remove").click()
    # The rows after it move up: Django reads forms 0..TOTAL_FORMS-1, with no gaps.
    expect(rows(scope)).to_have_count(2)
    expect(scope.locator("[name=reviews-TOTAL_FORMS]")).to_have_value("2")
    expect(scope.locator("#id_reviews-1-reviewer option:checked")).to_have_text("carol")
    expect(scope.locator("#id_reviews-1-due_on")).to_have_value("2027-02-01")


def delete_one_reviewer(page, scope):
    """On the edit form: marks bob's row for deletion, takes it back, marks it again (a toggle button)."""
    bob_row = rows(scope).filter(has=page.locator("option[selected]", has_text="bob"))
    delete = bob_row.get_by_role("button", name="Delete")
    delete.click()
    expect(bob_row).to_have_class(re.compile(r"\bformset-row-deleted\b"))
    expect(delete).to_have_attribute("aria-pressed", "true")
    delete.click()
    expect(bob_row).not_to_have_class(re.compile(r"\bformset-row-deleted\b"))
    expect(delete).to_have_attribute("aria-pressed", "false")
    delete.click()


def test_unpoly_reviewers_formset_in_an_overlay(bake_project, page):
    with signed_in(page, bake_project(use_unpoly=True)) as base_url:
        page.goto(f"{base_url}/documents/")
        mark_window(page)
        page.click("main >> text=New document")
        overlay = page.locator("up-modal")
        expect(overlay.locator("h1")).to_have_text("New document")
        create_with_reviewers(page, overlay)
        # A row added in the page is validated like the others: Unpoly posts the form, saves nothing.
        with page.expect_response(validation_of("reviews-1-role")):
            overlay.locator("#id_reviews-1-role").select_option(label="Approver")
        expect(overlay.locator("#id_reviews-1-role")).to_have_value(re.compile(r"\d+"))
        overlay.locator("button[type=submit]").click()

        expect(page.locator("up-modal")).to_have_count(0)
        expect(page.locator("#messages")).to_contain_text("Document “Lease contract” was created.")
        overlay = open_in_overlay(page, "Lease contract")
        expect(overlay.locator("dl")).to_contain_text("bob, Approver, by")
        expect(overlay.locator("dl")).to_contain_text("carol, Approver, by")

        overlay.locator("text=Edit").click()
        expect(overlay.locator("h1")).to_have_text("Edit “Lease contract”")
        delete_one_reviewer(page, overlay)
        overlay.locator("button[type=submit]").click()
        expect(overlay.locator("h1")).to_have_text("Lease contract")
        expect(overlay.locator("dl")).not_to_contain_text("bob")
        expect(overlay.locator("dl")).to_contain_text("carol, Approver, by")
        assert same_document(page)


def test_without_unpoly_the_reviewers_formset_works_on_plain_pages(bake_project, page):
    with signed_in(page, bake_project(use_unpoly=False)) as base_url:
        page.goto(f"{base_url}/documents/new/")
        main = page.locator("main")
        create_with_reviewers(page, main)
        main.locator("button[type=submit]").click()
        expect(main.locator("h1")).to_have_text("Lease contract")
        expect(main.locator("dl")).to_contain_text("bob, Approver, by")
        expect(main.locator("dl")).to_contain_text("carol, Reader, by")

        main.locator("text=Edit").click()
        # Two saved rows and an empty one; "Add" stops at the formset's max_num (10), and comes back.
        add = main.locator("[data-formset-add]")
        for _ in range(7):
            add.click()
        expect(rows(main)).to_have_count(10)
        expect(add).to_be_disabled()
        rows(main).nth(9).get_by_role("button", name="Remove").click()
        expect(add).to_be_enabled()
        delete_one_reviewer(page, main)
        main.locator("button[type=submit]").click()
        expect(main.locator("h1")).to_have_text("Lease contract")
        expect(main.locator("dl")).not_to_contain_text("bob")
        expect(main.locator("dl")).to_contain_text("carol, Reader, by")


def add_documents(project, *titles):
    project.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "from django.core.files.uploadedfile import SimpleUploadedFile\n"
        f"from {project.slug}.core.current_user import acting_as\n"
        f"from {project.slug}.documents.models import Category, Document\n"
        f"with acting_as(get_user_model().objects.get(username={USERNAME!r})):\n"
        f"    for title in {list(titles)!r}:\n"
        "        file = SimpleUploadedFile('a.pdf', b'%PDF-1.4')\n"
        "        Document.objects.create(title=title, category=Category.objects.get(), file=file)",
        settings="dev",
    )


def table_titles(page):
    return page.locator(".table-container tbody tr td:first-child").all_inner_texts()


@pytest.mark.parametrize("unpoly", [True, False], ids=["unpoly", "plain"])
def test_filtering_and_sorting_the_documents_table(bake_project, page, unpoly):
    project = bake_project(use_unpoly=unpoly)
    with served(project) as base_url:
        add_documents(project, "Lease 2026", "Power bill", "Lease 2025")
        log_in(page, base_url)
        page.goto(f"{base_url}/documents/")
        mark_window(page)
        expect(page.locator(".table-container tbody tr")).to_have_count(3)

        page.locator("#id_filter_title").press_sequentially("lease", delay=50)
        if not unpoly:
            page.click("main form button[type=submit]")
        expect(page.locator(".table-container tbody tr")).to_have_count(2)
        expect(page).to_have_url(re.compile(r"[?&]title=lease(&|$)"))
        page.click(".table-container th >> text=Title")
        expect(page).to_have_url(re.compile(r"[?&]sort=title(&|$)"))
        assert table_titles(page) == ["Lease 2025", "Lease 2026"]
        page.click(".table-container th >> text=Title")
        expect(page).to_have_url(re.compile(r"[?&]sort=-title(&|$)"))
        assert "title=lease" in page.url
        assert table_titles(page) == ["Lease 2026", "Lease 2025"]
        # The download links follow the table: the file holds what it shows, and the page stays.
        with page.expect_download() as download:
            page.click(".table-container >> text=Excel")
        rows = list(load_workbook(io.BytesIO(download.value.path().read_bytes())).active.values)
        assert [row[0] for row in rows[1:]] == ["Lease 2026", "Lease 2025"]
        # With Unpoly, typing and sorting replaced only the table; without it, each was a page load.
        assert same_document(page) == unpoly


def test_the_admin_and_the_debug_toolbar_work_under_the_content_security_policy(bake_project, page):
    """Both come from packages: their pages, inlines, autocompletes and panels must run under the policy too
    (the page fixture fails the test on any violation)."""
    project = bake_project()
    with served(project, env={"DEBUG_TOOLBAR": "1"}) as base_url:
        create = "from django.contrib.auth import get_user_model\nget_user_model().objects.create_superuser"
        project.manage("shell", "-c", f"{create}('root', password={PASSWORD!r})", settings="dev")
        page.goto(f"{base_url}/admin/login/")
        page.fill("#id_username", "root")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.goto(f"{base_url}/admin/documents/document/add/")
        page.click("text=Add another Review")
        expect(page.locator("#reviews-group tr.dynamic-reviews")).to_have_count(1)
        page.click("#reviews-group tr.dynamic-reviews .select2-selection")
        expect(page.locator(".select2-results__option", has_text="bob")).to_be_visible()
        # The toolbar, switched on: its handle, then a panel loaded from the server.
        page.goto(f"{base_url}/")
        expect(page.locator("#djDebugToolbar")).to_be_visible()
        page.click("#djdt-SQLPanel a")
        expect(page.locator("#SQLPanel")).to_be_visible()


# Latin words a Greek page may show: the user's name and the file's, which the user typed, and the names
# of the file formats a list downloads as.
NOT_ENGLISH = {USERNAME, "lease", "pdf", "Excel", "CSV"}
GREEK_APP_DATA = """
from {slug}.building_permits.models import BuildingPermitCategory, InspectionCategory
BuildingPermitCategory.objects.create(name="Νέα κατοικία")
InspectionCategory.objects.create(name="Αυτοψία εδάφους")
"""


def latin_words(page):
    """The Latin-script words the page (overlays included) shows."""
    return set(re.findall(r"[A-Za-z]{2,}", page.locator("body").inner_text())) - NOT_ENGLISH


def test_a_greek_project_and_its_app_of_two_models_show_no_english(bake_project, page):
    """Every page of a scaffolded two-model app in a Greek project, walked as its user does: lists, the empty
    and the invalid form, the saved record, editing, deleting, with Unpoly's overlays and validation."""
    project = bake_project(**GREEK_WITHOUT_DOCUMENTS_WITH_UNPOLY)
    project.run(
        "tasks.py", "startapp", "building_permits", "--model", "BuildingPermit", *GREEK_NAMES, *GREEK_INSPECTION
    )
    shown = {}
    with served(project, data=GREEK_APP_DATA) as base_url:
        log_in(page, base_url)
        shown["home"] = latin_words(page)
        for menu_entry, category, title in [
            ("Οικοδομικές άδειες", "Νέα κατοικία", "Οικία Παπαδοπούλου"),
            ("Αυτοψίες", "Αυτοψία εδάφους", "Αυτοψία οικοπέδου"),
        ]:
            page.click(f"#main-nav >> text={menu_entry}")
            expect(page.locator("h1")).to_have_text(menu_entry)
            shown[menu_entry] = latin_words(page)
            page.click("main a.btn-primary")
            form = page.locator("main form[method=post]")  # not the list's filter form, which also has a title
            form.locator("button[type=submit]").click()
            expect(form.locator(".invalid-feedback").first).to_be_visible()
            shown[f"{menu_entry}: invalid form"] = latin_words(page)
            form.locator("[name=title]").fill(title)
            form.locator("[name=category]").select_option(label=category)
            form.locator("[name=attachment]").set_input_files(PDF)
            form.locator("button[type=submit]").click()
            expect(page.locator("h1")).to_have_text(title)
            shown[f"{menu_entry}: saved"] = latin_words(page)
            detail = page.url
            page.click("main a.btn-primary")
            expect(page.locator("main form[method=post] [name=title]")).to_have_value(title)
            shown[f"{menu_entry}: edit"] = latin_words(page)
            page.goto(detail)
            page.click("main a.btn-outline-danger")
            shown[f"{menu_entry}: confirm delete"] = latin_words(page)
            page.click("main form button[type=submit]")
            expect(page.locator("#messages")).to_contain_text(title)
            shown[f"{menu_entry}: deleted"] = latin_words(page)
    english = {name: words for name, words in shown.items() if words}
    assert not english, f"English on the Greek pages: {english}"


ACCESS_SAMPLE = Path(__file__).parent / "data" / "access" / "indexTestV2000.mdb"
# Alice works with every row of the imported tables, which have no owner.
ACCESS_APP_DATA = """
from django.contrib.auth.models import Permission
alice = get_user_model().objects.get(username="alice")
alice.user_permissions.add(*Permission.objects.filter(content_type__app_label="related"))
"""


def test_an_access_app_in_a_greek_project_is_the_app_its_users_work_in(bake_project, page, need, tmp_path):
    """What access_startapp makes of indexTestV2000.mdb in a Greek project, as its user works in it: the menu,
    the list and its search, a row, its form, its history, a new row, a deletion; no English on any page but
    the file's own names and values."""
    need("mdb-export")
    project = bake_project(**GREEK_WITHOUT_DOCUMENTS_WITH_UNPOLY, use_access_import=True)
    folder = project.path / "access" / "related"
    project.manage("access_export", str(shutil.copy(ACCESS_SAMPLE, tmp_path)), str(folder), settings="dev")
    project.manage("access_startapp", "related", str(folder), settings="dev")
    project.manage("migrate", "--no-input", settings="dev")
    project.manage("access_import", "related", str(folder), settings="dev")
    the_files_own = {"table", "otherfk", "data", "id", "baz", "foo", "bar", "indextestv"}  # its names and values
    shown = {}
    with served(project, data=ACCESS_APP_DATA) as base_url:
        log_in(page, base_url)
        page.click("#main-nav >> text=Table1")
        expect(page.locator("h1")).to_have_text("Table1")
        shown["list"] = latin_words(page)
        page.fill("#id_filter_data", "baz13")
        page.click("main form[method=get] button[type=submit]")
        expect(page.locator("main table tbody tr")).to_have_count(1)
        page.click("main table tbody a")
        expect(page.locator("h1")).to_have_text("baz13")
        shown["row"] = latin_words(page)
        page.click("main a.btn-primary")
        page.fill("main form[method=post] [name=data]", "Αλλαγμένο")
        shown["form"] = latin_words(page)
        page.click("main form[method=post] button[type=submit]")
        expect(page.locator("h1")).to_have_text("Αλλαγμένο")
        expect(page.locator("#messages")).to_contain_text("«Αλλαγμένο» αποθηκεύτηκε")
        page.click("main a.btn-outline-secondary")
        expect(page.locator("main")).to_contain_text("Αλλαγμένο")
        shown["history"] = latin_words(page)
        page.click("#main-nav >> text=Table1")
        page.click("main a.btn-primary")
        page.fill("main form[method=post] [name=data]", "Νέα γραμμή")
        page.click("main form[method=post] button[type=submit]")
        expect(page.locator("h1")).to_have_text("Νέα γραμμή")
        page.click("main a.btn-outline-danger")
        shown["confirm delete"] = latin_words(page)
        page.click("main form button[type=submit]")
        expect(page.locator("#messages")).to_contain_text("«Νέα γραμμή» διαγράφηκε")
        shown["list after"] = latin_words(page)
    shown = {name: {word for word in words if word.lower() not in the_files_own} for name, words in shown.items()}
    english = {name: words for name, words in shown.items() if words}
    assert not english, f"English on the Greek pages: {english}"


def authenticator_code(secret):
    """What an authenticator app shows now for ``secret`` (RFC 6238: 30-second steps, six digits, SHA-1)."""
    counter = int(time.time()) // 30
    digest = hmac.new(base64.b32decode(secret.replace(" ", "")), counter.to_bytes(8, "big"), "sha1").digest()
    offset = digest[-1] & 0x0F
    return f"{(int.from_bytes(digest[offset : offset + 4], 'big') & 0x7FFFFFFF) % 1_000_000:06d}"


def test_two_step_login_is_set_up_from_the_menu_and_asked_at_the_next_login(bake_project, page):
    with signed_in(page, bake_project()) as base_url:
        page.click(f"#main-nav >> text={USERNAME}")
        page.click("#main-nav >> text=Set up two-step login")
        expect(page.locator("main svg")).to_be_visible()  # the QR code, inline: no style, no script
        page.fill("#id_code", authenticator_code(page.locator("main code").inner_text()))
        page.click("main button >> text=Confirm")
        expect(page.locator("main h1")).to_have_text("Your recovery codes")
        codes = page.locator("main li").all_inner_texts()
        assert len(codes) == 10
        page.click("main >> text=Continue")
        page.click(f"#main-nav >> text={USERNAME}")
        page.click("#main-nav >> text=Log out")

        log_in(page, base_url)
        expect(page.locator("main h1")).to_have_text("Two-step login")
        page.goto(f"{base_url}/accounts/password_change/")
        expect(page.locator("main h1")).to_have_text("Two-step login")
        page.fill("#id_code", codes[0])
        page.click("main button >> text=Continue")
        expect(page.locator("main h1")).to_have_text("Change password")


ROOT_USER = f'get_user_model().objects.create_superuser("root", password={PASSWORD!r})\n'


def test_a_superuser_acts_as_a_user_from_the_admin_under_a_banner(bake_project, page):
    project = bake_project(use_impersonation=True, include_documents_app=False)
    with served(project, data=ROOT_USER) as base_url:
        page.goto(f"{base_url}/accounts/login/")
        page.fill("#id_username", "root")
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.goto(f"{base_url}/admin/users/user/")
        acting = page.locator("tr", has_text=USERNAME).locator("button", has_text="Act as")
        expect(page.locator("tr", has_text="root").locator("button", has_text="Act as")).to_have_count(0)
        acting.click()  # django-hijack's script posts it: no inline script under the Content-Security-Policy
        expect(page.locator("[role=status]")).to_contain_text(f"You, root, are acting as {USERNAME}")
        expect(page.locator("main")).to_contain_text(f"Welcome, {USERNAME}.")
        page.click("[role=status] >> text=Stop acting as them")
        expect(page.locator("#site-name")).to_be_visible()
        expect(page.locator("[role=status]")).to_have_count(0)
