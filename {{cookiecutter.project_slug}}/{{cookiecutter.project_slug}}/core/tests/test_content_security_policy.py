"""Content-Security-Policy: every page tells the browser to run and style only what comes from the site."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

# What the policy forbids, as it would appear in a template: inline script and style, inline event handlers,
# and callbacks in up-on-... attributes (they run through eval).
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|\sup-on-[a-z]+=", re.IGNORECASE)


@pytest.mark.parametrize("url", [reverse("home"), reverse("login"), reverse("admin:login")])
def test_every_page_carries_a_strict_policy(client, url):
    policy = dict(
        directive.strip().split(" ", 1) for directive in client.get(url)["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert "unsafe" not in str(policy)
    assert not {"script-src", "style-src"} & policy.keys()  # both follow default-src: the site itself


def test_the_projects_templates_use_no_inline_script_or_style():
    folders = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/*/templates")]
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {match[0].strip()}"
        for folder in folders
        for path in folder.rglob("*.html")
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
