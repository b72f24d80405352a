"""Sign-in through an identity provider, in Chromium, against a real OpenID Connect provider on loopback
(oidc-provider-mock): from the login page to the signed-in home page and back out at both ends."""

import json
import re
import subprocess
import sys
from contextlib import contextmanager

from playwright.sync_api import expect
from test_browser import served

from tools.processes import free_port, http_answers, stop, wait_until

GREEK_WITH_UNPOLY = {
    "project_name": "Μητρώο",
    "language_code": "el",
    "use_unpoly": True,
    "use_identity_provider": True,
}
# The provider's person, with the claims the project reads: Greek names, a group, its own second step.
MARIA = {
    "sub": "maria",
    "preferred_username": "maria",
    "given_name": "Μαρία",
    "family_name": "Παπαδοπούλου",
    "email": "maria@example.org",
    "groups": ["clerks"],
    "amr": ["pwd", "mfa"],
}


@contextmanager
def identity_provider(folder):
    port = free_port()
    log = folder / "provider.log"
    base_url = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        command = [sys.executable, "-m", "oidc_provider_mock", "--port", str(port), "--require-nonce", "true"]
        server = subprocess.Popen(
            [*command, "--user-claims", json.dumps(MARIA)], stdout=output, stderr=subprocess.STDOUT
        )
        try:
            wait_until(http_answers(f"{base_url}/.well-known/openid-configuration"), server, log)
            yield base_url
        finally:
            stop(server)


def test_a_person_signs_in_through_the_provider_and_out_at_both_ends_and_a_refusal_is_a_message(
    bake_project, page, tmp_path
):
    project = bake_project(**GREEK_WITH_UNPOLY)
    with identity_provider(tmp_path) as provider:
        local = project.path / project.slug / "settings" / "local.py"
        settings = {
            "METADATA_URL": f"{provider}/.well-known/openid-configuration",
            "CLIENT_ID": "registry",
            "CLIENT_SECRET": "registry-secret",
            "GROUPS": {"clerks": "Clerks"},
            "CREATE_USERS": True,
        }
        local.write_text(local.read_text(encoding="utf-8") + f"IDENTITY_PROVIDER = {settings!r}\n", encoding="utf-8")
        with served(project, data="") as base_url:
            # The provider says no: the login page again, with a message, nobody signed in.
            page.goto(f"{base_url}/accounts/login/")
            page.click("text=Σύνδεση με τον λογαριασμό του φορέα")
            page.click("button[value=deny]")
            expect(page.locator(".messages")).to_contain_text("Η σύνδεση δεν ολοκληρώθηκε")
            expect(page.locator("main h1")).to_have_text("Σύνδεση")

            page.click("text=Σύνδεση με τον λογαριασμό του φορέα")
            page.click("button[value=maria]")
            expect(page.locator("#main-nav")).to_contain_text("Μαρία Παπαδοπούλου")
            assert page.url == f"{base_url}/"
            groups = project.manage(
                "shell",
                "--verbosity=0",
                "-c",
                "from django.contrib.auth.models import Group; print(*Group.objects.filter(user__username='maria'))",
                settings="dev",
            ).stdout
            assert groups.split() == ["Clerks"]

            page.click("#main-nav >> text=Μαρία Παπαδοπούλου")
            page.click("#main-nav button[form=logout-form]")
            # The provider's own page asks to confirm, then sends the browser back home, signed out.
            page.click("form[action$='/oauth2/end_session/confirm'] button")
            expect(page).to_have_url(re.compile(re.escape(f"{base_url}/") + r"(\?state=\w+)?$"))
            expect(page.locator("#main-nav")).not_to_contain_text("Μαρία")
