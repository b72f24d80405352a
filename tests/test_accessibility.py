"""WCAG 2.2 AA (EN 301 549): axe-core on every page of three bakes, and with the keyboard what axe cannot see.

axe-core is the project's own copy (static/vendor/axe-core, fetched by tools/fetch_assets.py), loaded from
the served project so the Content-Security-Policy allows it. A page fails on any WCAG 2.2 A or AA
violation, on the "needs review" results of the rules that matter here (names of fields, buttons, links and
dialogs), and on any id used twice.
"""

import re
import urllib.parse

import pytest
from helpers import GREEK_NAMES
from playwright.sync_api import expect
from test_browser import PDF, add_documents, authenticator_code, log_in, mark_window, same_document, served

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Best-practice rules beside WCAG's that catch what the audit of this project found.
ALSO = {"aria-dialog-name", "empty-table-header", "duplicate-id-aria"}
# "Needs review" results that are problems here: an element without a name, an id twice.
REVIEW = {"label", "button-name", "link-name", "select-name", "aria-dialog-name", "duplicate-id-aria"}
AUDIT = """async (rules) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: [...rules.wcag, 'best-practice']}})
  const keep = (check) => check.tags.some((tag) => rules.wcag.includes(tag)) || rules.also.includes(check.id)
  const where = (check) => `${check.id}: ${check.nodes.map((node) => node.target.join(' ')).join(', ')}`
  const counts = {}
  for (const element of document.querySelectorAll('[id]')) counts[element.id] = (counts[element.id] || 0) + 1
  return [
    ...result.violations.filter(keep).map(where),
    ...result.incomplete.filter((check) => rules.review.includes(check.id)).map((check) => 'review ' + where(check)),
    ...Object.keys(counts).filter((id) => counts[id] > 1).map((id) => `duplicate id: ${id}`),
  ]
}"""
GREEK_WITH_DOCUMENTS_AND_UNPOLY = {"project_name": "Μητρώο", "language_code": "el", "use_unpoly": True}


# The project's copy of axe-core, beside its Bootstrap (STATIC_URL is the project's own).
AXE_URL = """document.querySelector('link[href*="bootstrap.min.css"]').href
  .replace(/bootstrap\\/.*/, 'axe-core/axe.min.js')"""


# axe-core loaded into the page as it is: in <body> and marked up-asset="false", so Unpoly does not take it
# for a changed script of the page and reload the next page in full.
LOAD_AXE = """(url) => new Promise((resolve, reject) => {
  const script = Object.assign(document.createElement('script'), {src: url, onload: resolve, onerror: reject})
  script.setAttribute('up-asset', 'false')
  document.body.append(script)
})"""


def problems(page, axe_url):
    if not page.evaluate("Boolean(window.axe)"):
        page.evaluate(LOAD_AXE, axe_url)
    return page.evaluate(AUDIT, {"wcag": WCAG, "also": sorted(ALSO), "review": sorted(REVIEW)})


class Audit:
    """Collects each page's problems; the test fails with all of them at the end."""

    def __init__(self, page, base_url):
        self.page, self.base_url, self.found, self.axe = page, base_url, {}, None

    def __call__(self, name):
        self.page.wait_for_load_state("networkidle")
        # The page as it settles: an overlay fading in has, for a moment, text of less contrast. (Polled from
        # here: wait_for_function evaluates a string, which the Content-Security-Policy forbids.)
        for _ in range(50):
            if self.page.evaluate("document.getAnimations().every((animation) => animation.playState !== 'running')"):
                break
            self.page.wait_for_timeout(100)
        self.axe = self.axe or self.page.evaluate(AXE_URL)
        found = problems(self.page, self.axe)
        if found:
            self.found[name] = found

    def visit(self, name, path):
        self.page.goto(self.base_url + path)
        self(name)


def audit_documents(audit, page, unpoly):
    """Every page of the documents app, and the account pages, as its user walks them."""
    audit.visit("home", "/")
    audit.visit("list", "/documents/")
    audit.visit("list, filtered and sorted", "/documents/?title=lease&sort=-title")
    audit.visit("new document", "/documents/new/")
    page.locator("main [data-formset-add]").click()
    page.locator("main [data-formset-add]").click()
    audit("new document, two rows added")
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    audit("new document, invalid")
    audit.visit("a document", "/documents/1/")
    audit.visit("editing it", "/documents/1/edit/")
    audit.visit("deleting it", "/documents/1/delete/")
    audit.visit("its history", "/documents/1/history/")
    audit.visit("password change", "/accounts/password_change/")
    audit.visit("accessibility statement", "/accessibility/")
    audit.visit("two-step login", "/accounts/two-factor/setup/")
    page.set_viewport_size({"width": 320, "height": 640})
    for name, path in [("list at 320 px", "/documents/"), ("new document at 320 px", "/documents/new/")]:
        audit.visit(name, path)
        # Reflow (1.4.10): nothing wider than the window but the table, which scrolls in its own box.
        if page.evaluate("document.documentElement.scrollWidth") > 320:
            audit.found[name + ", scrolls sideways"] = [page.evaluate("document.documentElement.scrollWidth")]
    page.set_viewport_size({"width": 1280, "height": 800})
    if unpoly:
        page.goto(audit.base_url + "/documents/")
        page.locator(".table-container tbody a").first.click()
        expect(page.locator("up-modal")).to_be_visible()
        audit("a document in an overlay")
        page.keyboard.press("Escape")
        page.locator("main a[up-layer=new]").first.click()
        overlay = page.locator("up-modal")
        overlay.locator("form[method=post] button[type=submit]").click()
        expect(overlay.locator("[data-error-summary]")).to_be_visible()
        audit("new document in an overlay, invalid")


@pytest.mark.parametrize("answers", [{}, GREEK_WITH_DOCUMENTS_AND_UNPOLY], ids=["english-plain", "greek-unpoly"])
def test_every_page_of_the_documents_app_passes_axe(bake_project, page, answers):
    project = bake_project(**answers)
    with served(project) as base_url:
        add_documents(project, "Lease 2026", "Lease 2025")
        audit = Audit(page, base_url)
        audit.visit("login", "/accounts/login/")
        page.fill("#id_username", "alice")
        page.fill("#id_password", "wrong")
        page.click("main button[type=submit]")
        expect(page.locator("[data-error-summary]")).to_be_visible()
        audit("login, refused")
        log_in(page, base_url)
        audit_documents(audit, page, unpoly=answers.get("use_unpoly", False))
    assert not audit.found, audit.found


def test_every_page_of_a_scaffolded_app_passes_axe(bake_project, page):
    project = bake_project(include_documents_app=False, language_code="el", project_name="Μητρώο")
    project.run("tasks.py", "startapp", "permits", *GREEK_NAMES)
    data = "from {slug}.permits.models import PermitCategory\nPermitCategory.objects.create(name='Γενικά')\n"
    with served(project, data=data) as base_url:
        log_in(page, base_url)
        audit = Audit(page, base_url)
        audit.visit("list", "/permits/")
        audit.visit("new", "/permits/new/")
        page.locator("main form[method=post] button[type=submit]").click()
        audit("new, invalid")
        form = page.locator("main form[method=post]")
        form.locator("[name=title]").fill("Οικία")
        form.locator("[name=category]").select_option(label="Γενικά")
        form.locator("[name=attachment]").set_input_files(PDF)
        form.locator("button[type=submit]").click()
        expect(page.locator("h1")).to_have_text("Οικία")
        audit("saved")
        for name, path in [("edit", "edit/"), ("delete", "delete/"), ("history", "history/")]:
            audit.visit(name, f"/permits/1/{path}")
    assert not audit.found, audit.found


def focused(page):
    """What has the focus: its tag, id, name and text, enough to tell elements apart."""
    script = "() => { const e = document.activeElement; return `${e.localName}#${e.id} ${e.textContent.trim()}` }"
    return page.evaluate(script)


def test_the_keyboard_reaches_the_content_and_the_error_summary(bake_project, page):
    project = bake_project()
    with served(project) as base_url:
        log_in(page, base_url)
        page.goto(f"{base_url}/documents/")
        page.keyboard.press("Tab")
        assert focused(page).endswith("Skip to the content")
        page.keyboard.press("Enter")
        assert focused(page).startswith("main#main")
        page.goto(f"{base_url}/documents/new/")
        page.locator("main form[method=post] button[type=submit]").press("Enter")
        expect(page.locator("[data-error-summary]")).to_be_focused()
        expect(page.locator("[data-error-summary] a[href='#id_title']")).to_have_count(1)
        # The fields' edges and the focus ring stand out from the page by 3:1 at least (1.4.11).
        contrast = page.evaluate(CONTRAST, "#id_title")
        assert contrast["border"] >= 3, contrast
        page.focus("#id_title")
        assert page.evaluate(CONTRAST, "#id_title")["outline"] >= 3
        # A team's own check of a page, in development: ?axe.
        page.goto(f"{base_url}/documents/?axe")
        expect(page.locator("[data-accessibility-check]")).to_have_attribute("data-accessibility-check", "0")


# Where the keyboard's focus is, and whether a sighted user sees it: drawn with an outline of 2 px at least
# (forced colours keep outlines, not shadows), and not covered by another element at its centre (2.4.11).
FOCUS_SEEN = """() => {
  const element = document.activeElement
  if (element === document.body) return null
  const box = element.getBoundingClientRect()
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)
  const style = getComputedStyle(element)
  return {
    element: element.outerHTML.slice(0, 100),
    covered: !(hit && (hit === element || element.contains(hit))),
    ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
  }
}"""


def test_every_focus_stop_is_drawn_and_never_covered(bake_project, page):
    """Tab through the start page and the documents list, in plain and in forced colours: each stop has its
    ring (the nav's links had Bootstrap's shadow, 1.4:1 and gone in forced colours) and is not under the
    navbar (the skip link was)."""
    with served(bake_project()) as base_url:
        log_in(page, base_url)
        unseen = {}
        for colours in ("none", "active"):
            page.emulate_media(forced_colors=colours)
            for path in ("/", "/documents/"):
                page.goto(base_url + path)
                for _ in range(12):
                    page.keyboard.press("Tab")
                    stop = page.evaluate(FOCUS_SEEN)
                    if stop and (stop["covered"] or not stop["ring"]):
                        unseen.setdefault(f"{path}, forced colours {colours}", []).append(stop)
    assert not unseen, unseen


# The contrast of an element's border and outline colours with white, as WCAG computes it.
CONTRAST = """(selector) => {
  const style = getComputedStyle(document.querySelector(selector))
  const luminance = (colour) => {
    const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map((part) => {
      const value = Number(part) / 255
      return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4
    })
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
  }
  const ratio = (colour) => (1 + 0.05) / (luminance(colour) + 0.05)
  return {border: ratio(style.borderTopColor), outline: style.outlineStyle === 'none' ? 0 : ratio(style.outlineColor)}
}"""


def test_formset_buttons_name_their_row_keep_the_focus_and_say_their_state(bake_project, page):
    project = bake_project()
    with served(project) as base_url:
        add_documents(project, "Lease 2026")
        log_in(page, base_url)
        page.goto(f"{base_url}/documents/new/")
        add = page.locator("main [data-formset-add]")
        add.focus()
        page.keyboard.press("Enter")
        assert focused(page).startswith("select#id_reviews-1-reviewer")
        remove = page.get_by_role("button", name="Remove row 2")
        expect(remove).to_have_count(1)
        remove.focus()
        page.keyboard.press("Enter")
        expect(page.locator("[data-formset-row]")).to_have_count(1)
        expect(add).to_be_focused()
        expect(page.locator("#id_reviews-0-reviewer")).to_have_attribute("aria-required", "true")

        page.goto(f"{base_url}/documents/1/edit/")
        page.locator("#id_reviews-0-reviewer").select_option(label="bob")
        page.locator("#id_reviews-0-role").select_option(label="Reader")
        page.locator("#id_reviews-0-due_on").fill("2027-01-15")
        page.locator("main form[method=post] button[type=submit]").click()
        page.goto(f"{base_url}/documents/1/edit/")
        delete = page.get_by_role("button", name="Delete row 1")
        expect(delete).to_have_attribute("aria-pressed", "false")
        delete.focus()
        page.keyboard.press("Space")
        expect(delete).to_have_attribute("aria-pressed", "true")


def test_overlays_are_named_closed_from_the_keyboard_and_keep_the_page_behind_out_of_reach(bake_project, page):
    project = bake_project(**GREEK_WITH_DOCUMENTS_AND_UNPOLY)
    with served(project) as base_url:
        add_documents(project, "Μίσθωση 2026", "Μίσθωση 2025")
        log_in(page, base_url)
        page.goto(f"{base_url}/documents/")
        opener = page.locator(".table-container tbody a:not([download])", has_text="Μίσθωση 2026")
        for key in ["Escape", "Space", "Enter"]:
            opener.focus()
            page.keyboard.press("Enter")
            overlay = page.locator("up-modal")
            expect(overlay.locator("[role=dialog]")).to_have_attribute("aria-label", "Μίσθωση 2026")
            close = overlay.locator("up-modal-dismiss")
            expect(close).to_have_attribute("aria-label", "Κλείσιμο")
            assert page.evaluate("document.querySelector('main#main').closest('[inert]') !== null")
            # The focus stays in the overlay (a trap), whatever Tab does.
            for _ in range(12):
                page.keyboard.press("Tab")
                assert page.evaluate("document.activeElement.closest('up-modal') !== null")
            if key != "Escape":
                close.focus()
            page.keyboard.press(key)
            expect(overlay).to_have_count(0)
            expect(opener).to_be_focused()
            assert page.evaluate("document.querySelector('main#main').closest('[inert]') === null")

        # Deleting from the overlay removes the link that opened it: the focus goes to the content.
        opener.click()
        page.locator("up-modal main a.btn-outline-danger").click()
        page.locator("up-modal main form button[type=submit]").click()
        expect(page.locator("up-modal")).to_have_count(0)
        expect(page.locator("#messages")).to_contain_text("Μίσθωση 2026")
        expect(page.locator("main#main")).to_be_focused()


def test_sorting_and_instant_filtering_are_told_to_screen_readers(bake_project, page):
    project = bake_project(**GREEK_WITH_DOCUMENTS_AND_UNPOLY)
    with served(project) as base_url:
        add_documents(project, "Μίσθωση 2026", "Λογαριασμός ρεύματος", "Μίσθωση 2025")
        log_in(page, base_url)
        page.goto(f"{base_url}/documents/")
        expect(page.locator(".table-container th[aria-sort]")).to_have_attribute("aria-sort", "descending")
        page.locator("#id_filter_title").press_sequentially("Μίσθωση", delay=50)
        expect(page.locator(".table-container tbody tr")).to_have_count(2)
        expect(page.locator("[role=status]")).to_have_text("2 γραμμές")
        # Each keystroke asked for a table; on a busy machine an earlier answer can still be on its way. Sort
        # the table of the whole word, or a late answer replaces the sorted one.
        whole_word = re.compile(re.escape(urllib.parse.urlencode({"title": "Μίσθωση"})))
        expect(page.locator(".table-container th a").first).to_have_attribute("href", whole_word)
        page.locator(".table-container th a").first.click()
        expect(page.locator(".table-container th[aria-sort]")).to_have_attribute("aria-sort", "ascending")
        # Download links are named by their column, which is named.
        header = page.locator(".table-container th").last
        assert re.search(r"\w", header.inner_text())


# The accessible name of the focused element, as a screen reader reads it (its label, aria-label or
# aria-labelledby, its text), or "" for none.
FOCUSED_NAME = """() => {
  const element = document.activeElement
  const byIds = (ids) => ids.split(' ').map((id) => document.getElementById(id)?.textContent || '').join(' ')
  const name = element.getAttribute('aria-label')
    || (element.getAttribute('aria-labelledby') && byIds(element.getAttribute('aria-labelledby')))
    || [...(element.labels || [])].map((label) => label.textContent).join(' ')
    || element.getAttribute('title') || element.querySelector('[title]')?.getAttribute('title')
    || (element.localName === 'a' || element.localName === 'button' ? element.textContent : '')
  return name.trim()
}"""


# Each visible target smaller than 24 by 24 CSS pixels (2.5.8), but links inside a sentence of text.
SMALL_TARGETS = """() => {
  const targets = document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')
  const inSentence = (element) => {
    const block = element.closest('p, li, td, dd')
    return element.tagName === 'A' && block && block.textContent.trim() !== element.textContent.trim()
  }
  // The skip link is a target once focused (test_every_focus_stop_is_drawn_and_never_covered).
  const shown = (element) => element.checkVisibility() && !element.matches('.visually-hidden-focusable:not(:focus)')
  return [...targets].filter((element) => shown(element) && !inSentence(element)).map((element) => {
    const box = element.getBoundingClientRect()
    return {target: element.outerHTML.slice(0, 80), width: Math.round(box.width), height: Math.round(box.height)}
  }).filter((target) => target.width < 24 || target.height < 24)
}"""


def test_targets_are_24_pixels_and_a_closed_message_leaves_the_focus_in_the_content(bake_project, page):
    """2.5.8 (WCAG 2.2): the table's sort and file links were 19 px high, links inside a sentence excepted.
    2.4.3: the × of a message took the focus with it, and the next Tab started at the top of the page."""
    project = bake_project()
    with served(project) as base_url:
        add_documents(project, "Lease 2026", "Lease 2025")
        log_in(page, base_url)
        small = {}
        for path in ("/", "/documents/", "/documents/1/", "/documents/new/", "/accessibility/"):
            page.goto(base_url + path)
            if found := page.evaluate(SMALL_TARGETS):
                small[path] = found
        assert not small, small

        page.goto(base_url + "/documents/1/delete/")
        page.locator("main form[method=post] button[type=submit]").click()
        page.wait_for_url(base_url + "/documents/")
        page.wait_for_load_state()  # Bootstrap, which closes the message, runs at the end of the body
        page.locator(".messages .alert .btn-close").focus()
        page.keyboard.press("Enter")
        expect(page.locator(".messages .alert")).to_have_count(0)
        assert page.evaluate("document.activeElement.id") == "main"


def test_in_a_greek_project_with_unpoly_pages_of_their_own_are_titled_focused_and_read_out(bake_project, page):
    """One served project for four checks (each below says what it found): a form's answer, a refused form,
    the admin, the lockout; in this order, as each leaves the session the next needs."""
    project = bake_project(**GREEK_WITH_DOCUMENTS_AND_UNPOLY)
    with served(project) as base_url:
        add_documents(project, "Lease 2026")
        log_in(page, base_url)
        a_forms_answer_takes_its_title_and_escape_leaves_an_overlay_from_a_field(page, base_url)
        a_refused_form_shows_its_page_focused_and_read_out(page, base_url)
        the_admin_passes_axe_and_the_keyboard(page, base_url, project)
        the_lockout_shows_its_page_titled_and_read_out(page, base_url)


def a_forms_answer_takes_its_title_and_escape_leaves_an_overlay_from_a_field(page, base_url):
    """2.4.2: the recovery codes, the answer of two-step login's setup, kept the setup's title; 2.1.2: Escape
    in an overlay's field only left the field."""
    page.goto(base_url + "/accounts/two-factor/setup/")
    setup = page.title()
    page.fill("#id_code", authenticator_code(page.locator("main code").inner_text()))
    page.locator("main button.btn-primary[type=submit]").click()
    expect(page.locator("main li")).to_have_count(10)  # the recovery codes
    heading = page.locator("main h1").inner_text()
    assert heading in page.title() and page.title() != setup

    page.goto(base_url + "/documents/")
    page.locator("main a[up-layer=new]").first.click()
    overlay = page.locator("up-modal")
    overlay.locator("#id_title").focus()
    page.keyboard.press("Escape")
    expect(overlay).to_have_count(0)


def a_refused_form_shows_its_page_focused_and_read_out(page, base_url):
    """3.3.1, 4.1.3, 2.4.2: a form sent after the session ended elsewhere (the CSRF check refuses it) showed
    nothing, the form stayed as it was."""
    page.goto(base_url + "/documents/new/")
    new_document = page.title()
    mark_window(page)
    page.context.clear_cookies()  # the session and the CSRF cookie: logged out in another tab, say
    page.fill("#id_title", "Μίσθωση")
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator("main h1")).not_to_have_text(re.compile("Νέο"))
    refused = page.locator("main h1").inner_text()
    expect(page.locator(".visually-hidden[role=status]")).to_have_text(refused)
    assert page.title() not in ("", new_document) and same_document(page)
    assert page.evaluate("document.activeElement.localName") == "main"


def the_admin_passes_axe_and_the_keyboard(page, base_url, project):
    """The admin is where staff work: its index, a change list, an add form with autocomplete fields and an
    inline (the review's comboboxes had no name, its inline fields no label)."""
    create = "from django.contrib.auth import get_user_model\nget_user_model().objects.create_superuser"
    project.manage("shell", "-c", f"{create}('root', password='a-long-superuser-password')", settings="dev")
    audit = Audit(page, base_url)
    audit.visit("login", "/accounts/login/")  # a page of the site's: where axe-core is (AXE_URL)
    audit.visit("admin login", "/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "a-long-superuser-password")
    page.click("input[type=submit]")
    audit.visit("admin index", "/admin/")
    audit.visit("documents' change list", "/admin/documents/document/")
    audit.visit("a document", "/admin/documents/document/1/change/")
    audit.visit("new document", "/admin/documents/document/add/")
    page.locator("#reviews-group .add-row a").click()
    audit("new document, a review added")
    # The keyboard: from the first field, Tab reaches the inline's fields, each named.
    page.locator("#id_title").focus()
    names = []
    for _ in range(12):
        page.keyboard.press("Tab")
        names.append(page.evaluate(FOCUSED_NAME))
    assert not audit.found, audit.found
    assert "" not in names, names


def the_lockout_shows_its_page_titled_and_read_out(page, base_url):
    """2.4.2, 4.1.3: the lockout after too many wrong passwords kept the login's title."""
    page.context.clear_cookies()
    page.goto(base_url + "/accounts/login/")
    mark_window(page)
    login_form = page.locator("main form[method=post]")
    for _ in range(6):
        login_form.locator("#id_username").fill("alice")
        login_form.locator("#id_password").fill("not her password")
        login_form.locator("button[type=submit]").click()
        expect(page.locator("main.up-loading")).to_have_count(0)  # Unpoly's mark of a request under way
        if not login_form.count():
            break
    locked = page.locator("main h1").inner_text()
    expect(page.locator(".visually-hidden[role=status]")).to_have_text(locked)
    assert locked in page.title() and same_document(page)
