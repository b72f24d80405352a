"""The option rule: what each of the template's options owns in a generated project, and how a bake applies it.

cookiecutter.json says it under "_options", per option:
- "paths": files or folders that exist only when the option is on;
- "lines": per shared file, markers; a line containing one belongs to the option and goes when it is off;
- "paragraphs": per shared file, markers; the paragraph (up to a blank line) containing one goes likewise;
- "variants": a tag; <name>.<tag>.<ext> replaces <name>.<ext> when the option is on, and goes when it is off.

The post-gen hook applies it (apply); the template's tests and tools/fetch_assets.py read it from here.
"""

import json
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent
SLUG_PLACEHOLDER = "{{cookiecutter.project_slug}}"
OPTIONS = json.loads((REPO / "cookiecutter.json").read_text(encoding="utf-8"))["_options"]
VARIANT_TAGS = {rule["variants"]: option for option, rule in OPTIONS.items() if "variants" in rule}


def baked_path(relative, slug):
    """Where a path of the template's project folder ends up in a project baked with ``slug``."""
    return relative.replace(SLUG_PLACEHOLDER, slug)


def variant_tag(path):
    """ "unpoly" for partials/_assets.unpoly.html: the tag of the option whose variant this file is, or None."""
    parts = Path(path).name.split(".")
    return next((part for part in parts[1:-1] if part in VARIANT_TAGS), None)


def plain_twin(variant):
    """partials/_assets.html for partials/_assets.unpoly.html: the shared file a variant replaces."""
    variant = Path(variant)
    return variant.with_name(variant.name.replace(f".{variant_tag(variant)}.", ".", 1))


def claimed_by(option, relative):
    """Whether the "paths" of ``option`` claim ``relative``, a path in the template's project folder."""
    return any(relative == path or relative.startswith(f"{path}/") for path in OPTIONS[option].get("paths", []))


def owning_option(relative):
    """The first option whose "paths" claim ``relative``, or None: a file every project has."""
    return next((option for option in OPTIONS if claimed_by(option, relative)), None)


def without_owned_lines(text, markers):
    """``text`` without the lines that contain one of ``markers``, still ending in one newline (a block removed
    from the end of a file leaves no blank line behind it)."""
    lines = text.splitlines(keepends=True)
    kept = "".join(line for line in lines if not any(marker in line for marker in markers))
    return kept.rstrip("\n") + "\n" if kept != text and kept.strip() else kept


def without_owned_paragraphs(text, markers):
    """``text`` without the paragraphs (runs of lines between blank lines) that contain one of ``markers``,
    and without the blank line that separated each from the one before."""
    paragraphs = text.rstrip("\n").split("\n\n")
    kept = [paragraph for paragraph in paragraphs if not any(marker in paragraph for marker in markers)]
    return "\n\n".join(kept) + "\n" if kept != paragraphs else text


def markers_of_unselected(relative, answers):
    """The markers of ``relative`` (a path in the template's project folder) owned by options that are off."""
    return [
        marker
        for option, rule in OPTIONS.items()
        if not answers[option]
        for marker in rule.get("lines", {}).get(relative, [])
    ]


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


def apply(project, answers):
    """Make the baked ``project`` hold what ``answers`` (option name -> bool, and project_slug) select."""
    slug = answers["project_slug"]
    for tag, option in VARIANT_TAGS.items():
        for variant in sorted(project.rglob(f"*.{tag}.*")):
            if answers[option]:
                variant.replace(plain_twin(variant))
            else:
                remove(variant)
    for option, rule in OPTIONS.items():
        if answers[option]:
            continue
        for kind, remove_owned in (("paragraphs", without_owned_paragraphs), ("lines", without_owned_lines)):
            for relative, markers in rule.get(kind, {}).items():
                path = project / baked_path(relative, slug)
                if path.exists():  # not when another option that is off took the file
                    path.write_text(remove_owned(path.read_text(encoding="utf-8"), markers), encoding="utf-8")
        for relative in rule.get("paths", []):
            remove(project / baked_path(relative, slug))
