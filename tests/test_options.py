"""The option rule (cookiecutter.json "_options") is the only place that decides what an option owns.

An option owns paths (files or folders), lines and paragraphs of shared files (those containing one of its
markers), and variants: <name>.<tag>.<ext> replaces <name>.<ext> when the option is on.
"""

import fnmatch
import itertools
import json
import re

import pytest
from helpers import COMBINATIONS, REPO, TEMPLATE

from option_rule import (
    OPTIONS,
    VARIANT_TAGS,
    baked_path,
    claimed_by,
    owning_option,
    plain_twin,
    variant_tag,
    without_owned_lines,
    without_owned_paragraphs,
)
from tools import fetch_assets

JINJA_CONTROL_TAG = re.compile(r"\{%-?\s*(if|elif|else|endif|for|endfor|raw|endraw|set|macro|with)\b")
COPIED_WITHOUT_RENDER = json.loads((REPO / "cookiecutter.json").read_text(encoding="utf-8"))["_copy_without_render"]
VARIANT_MAX_LINES = 30
LOCK_FILES = {"requirements/dev.txt", "requirements/prod.txt"}


def template_files():
    return [path for path in sorted(TEMPLATE.rglob("*")) if path.is_file() and "vendor" not in path.parts]


def test_no_python_file_has_jinja_control_flow():
    offenders = [
        f"{path.relative_to(TEMPLATE)}: {match.group()}"
        for path in template_files()
        if path.suffix == ".py"
        and not any(
            fnmatch.fnmatch(path.relative_to(TEMPLATE).as_posix(), pattern) for pattern in COPIED_WITHOUT_RENDER
        )
        for match in JINJA_CONTROL_TAG.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_no_template_file_needs_a_jinja_suffix():
    assert [path.name for path in template_files() if path.suffix == ".j2"] == []


@pytest.mark.parametrize("option", OPTIONS)
def test_every_entry_of_the_rule_names_something_that_exists(option):
    rule = OPTIONS[option]
    for path in rule.get("paths", []):
        assert (TEMPLATE / path).exists(), path
    for path, markers in rule.get("lines", {}).items():
        lines = (TEMPLATE / path).read_text(encoding="utf-8").splitlines()
        for marker in markers:
            matches = [line for line in lines if marker in line]
            assert len(matches) == 1, f"{path}: {marker!r} is on {len(matches)} lines, not exactly one"
    for path, markers in rule.get("paragraphs", {}).items():
        paragraphs = (TEMPLATE / path).read_text(encoding="utf-8").split("\n\n")
        for marker in markers:
            matches = [paragraph for paragraph in paragraphs if marker in paragraph]
            assert len(matches) == 1, f"{path}: {marker!r} is in {len(matches)} paragraphs, not exactly one"
    if tag := rule.get("variants"):
        assert [path for path in template_files() if variant_tag(path) == tag], f"no *.{tag}.* file"


def test_every_variant_is_a_small_twin_of_a_shared_file():
    for path in template_files():
        if variant_tag(path):
            plain = plain_twin(path)
            assert plain.exists(), f"{path.relative_to(TEMPLATE)} has no plain twin"
            lines = len(path.read_text(encoding="utf-8").splitlines())
            assert lines <= VARIANT_MAX_LINES, f"{path.relative_to(TEMPLATE)}: twin whole pages, not {lines} lines"


@pytest.mark.parametrize("tag", VARIANT_TAGS)
def test_a_file_that_mentions_an_option_is_claimed_by_it(tag):
    """Every file naming the option (e.g. "unpoly") is its path or variant, or names it only in lines it owns."""
    option = VARIANT_TAGS[tag]
    owned_lines = OPTIONS[option].get("lines", {})
    unclaimed = []
    for path in template_files():
        relative = path.relative_to(TEMPLATE).as_posix()
        # The locks name every option's packages: the hook keeps what the option's own lines in requirements/*.in
        # need (locks.py), and each bake's test_locks checks the result.
        if variant_tag(path) == tag or claimed_by(option, relative) or relative in LOCK_FILES:
            continue
        text = outside_conditions_on(option, path.read_text(encoding="utf-8", errors="replace"))
        text = without_owned_paragraphs(text, OPTIONS[option].get("paragraphs", {}).get(relative, []))
        markers = owned_lines.get(relative, [])
        mentions = [line for line in text.splitlines() if tag in line.lower() and not any(m in line for m in markers)]
        if mentions:
            unclaimed.append(f"{relative}: {mentions[0].strip()}")
    assert unclaimed == []


JINJA_CONDITION = re.compile(r"\{%-?\s*(if|elif|else|endif)\b(.*?)-?%\}", re.S)


def outside_conditions_on(option, text):
    """``text`` without what only a bake with ``option`` on renders: ``{% if cookiecutter.<option> %}`` blocks
    (up to their else or endif), the tags included. (Rendered files only: Python files have no such blocks.)"""
    kept, claimed, start = [], [], 0
    for tag in JINJA_CONDITION.finditer(text):
        if not any(claimed):
            kept.append(text[start : tag.start()])
        keyword, condition = tag[1], tag[2].strip()
        if keyword == "if":
            claimed.append(condition == f"cookiecutter.{option}")
        elif keyword in ("elif", "else"):
            claimed[-1] = False
        else:
            claimed.pop()
        start = tag.end()
    return "".join(kept) + text[start:]


def test_text_that_only_a_bake_with_the_option_renders_is_claimed_by_it():
    text = "a {% if cookiecutter.use_x %}X {% if y %}xy{% endif %}{% else %}not X{% endif %} b {% if z %}z{% endif %}"
    assert outside_conditions_on("use_x", text) == "a not X b z"


@pytest.mark.parametrize("option", OPTIONS)
@pytest.mark.parametrize("selected", [True, False], ids=["on", "off"])
def test_a_bake_keeps_exactly_what_the_rule_says(bake, option, selected):
    path = bake(**{**dict.fromkeys(OPTIONS, True), option: selected})
    slug = path.name
    rule = OPTIONS[option]
    for relative in rule.get("paths", []):
        assert (path / baked_path(relative, slug)).exists() == selected, relative
    for relative, markers in rule.get("lines", {}).items():
        text = (path / baked_path(relative, slug)).read_text(encoding="utf-8")
        for marker in markers:
            assert (marker in text) == selected, f"{relative}: {marker}"
    for relative, markers in rule.get("paragraphs", {}).items():
        template_paragraphs = (TEMPLATE / relative).read_text(encoding="utf-8").split("\n\n")
        text = (path / baked_path(relative, slug)).read_text(encoding="utf-8")
        for marker in markers:
            (paragraph,) = [paragraph for paragraph in template_paragraphs if marker in paragraph]
            # The paragraph's last telling line (more than a bracket, nothing to render) is there exactly when
            # the option is on.
            last_line = [line for line in paragraph.splitlines() if len(line.strip()) > 3 and "{{" not in line][-1]
            assert (last_line in text) == selected, f"{relative}: {marker}"
    if tag := rule.get("variants"):
        assert list(path.rglob(f"*.{tag}.*")) == []
        for variant in (file for file in template_files() if variant_tag(file) == tag):
            plain = plain_twin(variant)
            result = path / baked_path(plain.relative_to(TEMPLATE).as_posix(), slug)
            # Django templates are copied byte for byte; Python twins are rendered, so compare those by name.
            if variant.suffix == ".html":
                assert result.read_bytes() == (variant if selected else plain).read_bytes(), result
            else:
                assert result.exists(), result


def test_every_vendored_folder_is_fetched_by_the_asset_script_and_owned_as_the_rule_says():
    fetched = {folder for _, folder, _ in fetch_assets.PACKAGES.values()}
    assert fetched == {path.name for path in (TEMPLATE / "static" / "vendor").iterdir()}
    assert owning_option("static/vendor/unpoly") == "use_unpoly"
    assert owning_option("static/vendor/bootstrap") is None


def test_the_combinations_hold_every_pair_of_options_in_all_four_states():
    for first, second in itertools.combinations(OPTIONS, 2):
        states = {(combination[first], combination[second]) for combination in COMBINATIONS}
        assert states == {(True, True), (True, False), (False, True), (False, False)}, (first, second)


def test_lines_removed_from_the_end_of_a_file_leave_no_blank_line_behind():
    text = "class DocumentsConfig:\n    menu = []\n\n    def ready(self):\n        from . import tasks\n"
    assert without_owned_lines(text, ["def ready", "import tasks"]) == "class DocumentsConfig:\n    menu = []\n"
    assert without_owned_lines("a\nb\n", ["c"]) == "a\nb\n"


def test_a_paragraph_goes_whole_with_the_blank_line_before_it():
    text = "A = 1\n\n# The store\nB = 2\nC = 3\n\nD = 4\n"
    assert without_owned_paragraphs(text, ["The store"]) == "A = 1\n\nD = 4\n"
    assert without_owned_paragraphs("A = 1\n\n# The store\nB = 2\n", ["The store"]) == "A = 1\n"
    assert without_owned_paragraphs(text, ["elsewhere"]) == text
