"""Bring a baked project up to a newer commit of this template, losing no change on either side.

    python3 tools/update.py PROJECT [--set NAME=VALUE ...]   merge this checkout's commit into PROJECT
    python3 tools/update.py PROJECT --resolved               record the update once its conflicts are resolved
    python3 tools/update.py PROJECT --check                  has the template moved on since the recorded commit?

A project runs it as ``python tasks.py update``, which clones the template and runs the clone's copy of
this file. It bakes the commit recorded in the project's .cruft.json and this checkout's commit with the
recorded answers, each in a Cookiecutter process of its own, and merges the difference into the project
file by file (git merge-file), so it needs neither the project's git history nor cruft. A file both
sides changed in the same place keeps conflict markers; such files are listed and the new commit is
recorded only once they are resolved. Per-host files (settings/local.py) are never touched.

Every baked project runs this file by its path with these arguments, whatever its age: both stay.
"""

import argparse
import contextlib
import difflib
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

# Run as a script: the template's modules import from the repository's root.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from tools.bake import baking_python  # noqa: E402
from tools.envs import REPO  # noqa: E402

TRACKING_FILE = ".cruft.json"
# How alike a file the template deleted and one it added must be to count as one file moved.
RENAME_SIMILARITY = 0.6
CONFLICT_MARKER = b"<<<<<<< "
BAKE = """
import json, sys
from cookiecutter.main import cookiecutter
job = json.load(sys.stdin)
cookiecutter(job["template"], no_input=True, extra_context=job["answers"], output_dir=job["output"],
             default_config={"replay_dir": job["replay"]})
"""


class UpdateFailed(Exception):
    """The update cannot start or finish; nothing in the project was changed."""


@dataclass
class Outcome:
    applied: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)


def git(*arguments, cwd):
    result = subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, text=True, encoding="utf-8")
    if result.returncode:
        raise UpdateFailed(f"git {' '.join(arguments)}: {result.stderr.strip()}")
    return result.stdout.strip()


def answers_of(context):
    """The questions' answers of a recorded context: Cookiecutter's own entries (_template, __prompts__) left out."""
    return {name: value for name, value in context.items() if not name.startswith("_")}


def bake_commit(template, commit, answers, into):
    """Bake ``commit`` of the ``template`` repository with ``answers``: (project folder, full context)."""
    source, output, replay = into / "template", into / "output", into / "replay"
    source.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit], cwd=template, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as files:
        files.extractall(source, filter="data")
    job = {"template": str(source), "answers": answers, "output": str(output), "replay": str(replay)}
    # Isolated (-I), in the commit's own folder: no other copy of the template's modules can be imported.
    result = subprocess.run(
        [str(baking_python()), "-I", "-c", BAKE],
        cwd=source,
        input=json.dumps(job),
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    if result.returncode:
        raise UpdateFailed(f"baking the template at {commit[:10]} failed:\n{result.stdout}{result.stderr}".strip())
    (project,) = output.iterdir()
    (replay_file,) = replay.iterdir()
    return project, json.loads(replay_file.read_text(encoding="utf-8"))["cookiecutter"]


def files_of(folder):
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


def per_host_files(project, tracking):
    """Files an update never touches: the tracking file, settings/local.py (also where no skip list names it, as
    in projects baked before there was one), and the skip lists of .cruft.json and pyproject.toml."""
    slug = tracking["context"]["cookiecutter"]["project_slug"]
    skipped = {TRACKING_FILE, f"{slug}/settings/local.py", *tracking.get("skip", [])}
    pyproject = project / "pyproject.toml"
    if pyproject.exists():
        settings = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        skipped.update(settings.get("tool", {}).get("cruft", {}).get("skip", []))
    return skipped


def read(path):
    return path.read_bytes() if path.is_file() else None


def is_binary(*contents):
    return any(content is not None and b"\0" in content for content in contents)


def without_carriage_returns(content):
    return None if content is None else content.replace(b"\r\n", b"\n")


def merge_file(ours, base, theirs):
    """git merge-file of three texts: (merged, number of conflicts)."""
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for name, content in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = Path(folder) / name
            path.write_bytes(content or b"")
            paths.append(str(path))
        labels = ["-L", "this project", "-L", "template before", "-L", "template now"]
        result = subprocess.run(["git", "merge-file", "-p", *labels, *paths], capture_output=True)
    if result.returncode < 0 or result.returncode > 127:
        raise UpdateFailed(f"git merge-file failed: {result.stderr.decode(errors='replace')}")
    return result.stdout, result.returncode


def renames(old_files, new_files, old_root, new_root):
    """{old path: new path} for files the template moved: deleted at one path, added with alike lines at another."""
    moved = {}
    added = {path: read(new_root / path).splitlines() for path in sorted(new_files - old_files)}
    for old in sorted(old_files - new_files):
        before = read(old_root / old)
        if is_binary(before):
            continue
        best, best_ratio = None, RENAME_SIMILARITY
        for new, lines in added.items():
            matcher = difflib.SequenceMatcher(None, before.splitlines(), lines, autojunk=False)
            # The cheap upper bounds first: most pairs stop there.
            quick = matcher.real_quick_ratio() > best_ratio and matcher.quick_ratio() > best_ratio
            if quick and (ratio := matcher.ratio()) > best_ratio:
                best, best_ratio = new, ratio
        if best:
            moved[old] = best
            del added[best]
    return moved


def write(path, content, crlf=False):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.replace(b"\n", b"\r\n") if crlf else content)


def merge_trees(project, old_root, new_root, skipped):
    """Apply what the template changed between two bakes to ``project``; the outcome lists every file touched."""
    outcome = Outcome()
    old_files, new_files = files_of(old_root), files_of(new_root)
    moved = renames(old_files, new_files, old_root, new_root)
    own_files = own_text_files(project, old_files | new_files)
    for path in sorted(old_files | new_files):
        if path in skipped or path in moved.values():
            continue
        target = moved.get(path, path)
        base, theirs = read(old_root / path), read(new_root / target)
        if base == theirs and target == path:
            continue
        users = [name for name, text in own_files.items() if theirs is None and reference(path) in text]
        if users:
            outcome.conflicts.append(f"{path}: deleted by the template, still used by {', '.join(users)}; kept")
            continue
        merge_one(project, path, target, base, theirs, outcome)
    return outcome


def own_text_files(project, template_files):
    """{path: text} of the project's own text files (its apps, say): those git tracks, or outside git those not in
    the folders of data and tools; none the template bakes."""
    if in_git(project):
        names = git("ls-files", "-z", cwd=project).split("\0")
    else:
        names = [
            path.relative_to(project).as_posix()
            for path in project.rglob("*")
            if not {".venv", ".pgdata", "media", "backups", "__pycache__"} & set(path.relative_to(project).parts)
        ]
    own = {}
    for name in names:
        path = project / name
        if name and name not in template_files and path.is_file():
            with contextlib.suppress(UnicodeDecodeError):
                own[name] = path.read_text(encoding="utf-8")
    return own


def reference(path):
    """How other files name a template file: partials/_table.html for .../templates/partials/_table.html,
    core.media for <package>/core/media.py, the path itself otherwise."""
    parts = path.split("/")
    for folder in ("templates", "static"):
        if folder in parts[:-1]:
            return "/".join(parts[parts.index(folder) + 1 :])
    if path.endswith(".py") and len(parts) > 2:
        return ".".join(parts[1:]).removesuffix(".py")
    return path


def merge_one(project, path, target, base, theirs, outcome):
    """Three-way merge of this project's ``path`` with the template's change ``base`` -> ``theirs`` (at ``target``)."""
    raw = read(project / path)
    crlf = raw is not None and b"\r\n" in raw
    ours = without_carriage_returns(raw)
    moving = target != path
    if ours == base or (ours == theirs and not moving):
        if ours == theirs and not moving:
            return
        # Unchanged here since the bake: the template's version goes in as it is.
        if theirs is None:
            (project / path).unlink()
        else:
            write(project / target, theirs, crlf)
            if moving:
                (project / path).unlink()
        outcome.applied.append(target if theirs is not None else path)
        return
    if ours is None:
        outcome.conflicts.append(f"{path}: changed by the template, deleted here; the template's version is not added")
        return
    if theirs is None:
        outcome.conflicts.append(f"{path}: deleted by the template, changed here; kept")
        return
    if is_binary(ours, base, theirs):
        outcome.conflicts.append(f"{path}: a binary file changed here and by the template; kept this project's")
        return
    merged, conflicts = merge_file(ours, base, theirs)
    write(project / target, merged, crlf)
    if moving:
        (project / path).unlink()
    if conflicts:
        where = f"{path} -> {target}" if moving else target
        outcome.conflicts.append(f"{where}: {conflicts} conflict(s) marked with <<<<<<< and >>>>>>>")
    else:
        outcome.applied.append(target)


def read_tracking(project):
    path = project / TRACKING_FILE
    if not path.exists():
        raise UpdateFailed(
            f"{path} is missing: this project does not say which template commit it was baked from"
            " (README, 'Updating from the template')."
        )
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise UpdateFailed(f"{path} is not valid JSON: {error}") from None


def recorded_commit(tracking):
    """The template commit the project was baked from or last updated to: a full id, never a git option."""
    commit = tracking.get("commit")
    if not re.fullmatch(r"[0-9a-f]{40}", str(commit)):
        raise UpdateFailed(f"{TRACKING_FILE}'s commit {commit!r} is not a full commit id.")
    return commit


def write_tracking(project, tracking):
    text = json.dumps(tracking, indent=2, ensure_ascii=False) + "\n"
    (project / TRACKING_FILE).write_text(text, encoding="utf-8")


def parse_settings(pairs):
    answers = {}
    for pair in pairs:
        name, separator, value = pair.partition("=")
        if not separator or not name:
            raise UpdateFailed(f"--set {pair!r}: write NAME=VALUE, e.g. --set use_tasks=yes")
        lowered = value.lower()
        answers[name] = True if lowered in {"yes", "true"} else False if lowered in {"no", "false"} else value
    return answers


def in_git(project):
    return subprocess.run(["git", "rev-parse", "--git-dir"], cwd=project, capture_output=True).returncode == 0


def uncommitted_changes(project):
    """git status of the project, or None outside a git repository."""
    return git("status", "--porcelain", cwd=project) if in_git(project) else None


def update(project, template=REPO, changed_answers=None):
    """Merge the template's commit checked out in ``template`` into ``project``; the Outcome."""
    project = Path(project).resolve()
    tracking = read_tracking(project)
    if "update_in_progress" in tracking:
        raise UpdateFailed(
            "an update is waiting for its conflicts to be resolved: resolve them, then run this again with"
            " --resolved (or undo it with git restore and git clean)."
        )
    if uncommitted_changes(project):
        raise UpdateFailed("the project has uncommitted changes: commit or stash them, so git can undo the update.")
    old_commit, new_commit = recorded_commit(tracking), git("rev-parse", "HEAD", cwd=template)
    known = subprocess.run(["git", "cat-file", "-e", f"{old_commit}^{{commit}}"], cwd=template, capture_output=True)
    if known.returncode:
        raise UpdateFailed(f"the recorded template commit {old_commit} is not in {template}'s history.")
    old_answers = answers_of(tracking["context"]["cookiecutter"])
    new_answers = {**old_answers, **(changed_answers or {})}
    if old_commit == new_commit and new_answers == old_answers:
        return Outcome()
    with tempfile.TemporaryDirectory() as folder:
        old_root, _ = bake_commit(template, old_commit, old_answers, Path(folder) / "old")
        new_root, context = bake_commit(template, new_commit, new_answers, Path(folder) / "new")
        outcome = merge_trees(project, old_root, new_root, per_host_files(project, tracking))
    recorded = {
        "commit": new_commit,
        "context": {"cookiecutter": {**answers_of(context), "_template": tracking["template"], "_commit": new_commit}},
    }
    if outcome.conflicts:
        tracking["update_in_progress"] = {**recorded, "conflicts": outcome.conflicts}
    else:
        tracking.update(recorded)
    write_tracking(project, tracking)
    return outcome


def record_resolved(project):
    """After the conflicts of an update are resolved: record its commit. Files still marked stop it."""
    project = Path(project).resolve()
    tracking = read_tracking(project)
    pending = tracking.pop("update_in_progress", None)
    if pending is None:
        raise UpdateFailed("no update is waiting to be recorded.")
    unresolved = [
        path.relative_to(project).as_posix()
        for path in sorted(project.rglob("*"))
        if path.is_file()
        and ".git" not in path.parts
        and ".venv" not in path.parts
        and any(line.startswith(CONFLICT_MARKER) for line in path.read_bytes().splitlines())
    ]
    if unresolved:
        raise UpdateFailed("conflict markers are still in: " + ", ".join(unresolved))
    pending.pop("conflicts")
    tracking.update(pending)
    write_tracking(project, tracking)
    return pending["commit"]


def report(outcome, project):
    for path in outcome.applied:
        print(f"  updated   {path}")
    for conflict in outcome.conflicts:
        print(f"  CONFLICT  {conflict}")
    if outcome.conflicts:
        print(
            f"\n{len(outcome.conflicts)} file(s) need you: keep what both sides meant, delete the markers,"
            " run the tests, then record the update with:\n  python tasks.py update --resolved",
            file=sys.stderr,
        )
        return 1
    print(f"\nUp to date with the template ({len(outcome.applied)} file(s) changed): review with git diff, commit.")
    return 0


def check(project, template):
    """0 when the recorded commit is the template's newest (its branch's head), 1 otherwise."""
    recorded, newest = recorded_commit(read_tracking(project)), git("rev-parse", "HEAD", cwd=template)
    if recorded == newest:
        print(f"The project is up to date with the template ({newest[:10]}).")
        return 0
    behind = git("rev-list", "--count", f"{recorded}..{newest}", cwd=template)
    print(f"The template moved on: {behind} commit(s) since {recorded[:10]}; run python tasks.py update.")
    return 1


def main(arguments):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="change an answer")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--resolved", action="store_true", help="record an update whose conflicts are resolved")
    group.add_argument("--check", action="store_true", help="exit 1 when the template has moved on")
    options = parser.parse_args(arguments)
    try:
        if options.check:
            return check(options.project, REPO)
        if options.resolved:
            commit = record_resolved(options.project)
            print(f"Recorded template commit {commit[:10]}: commit the result.")
            return 0
        return report(update(options.project, REPO, parse_settings(options.set)), options.project)
    except UpdateFailed as error:
        print(f"update: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
