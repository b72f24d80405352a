"""Template updates (tools/update.py, run by a project's python tasks.py update) across this repository's history.

A project is baked at an older commit of this template, two apps are added and lines right next to what
later commits change are edited, all committed; then it is updated to the current tree. Every change the
template made is either applied or reported as a conflict, no local change is lost, and once the
conflicts are resolved the project records the new commit and passes its checks and tests.
"""

import difflib
import json
import re
import shutil
import subprocess
import sys

import pytest
from helpers import GREEK_NAMES, OPTIONS, REPO, Project, selected_options

from tools import update
from tools.workflows import run_job_steps

# Commits across the template's life: 67d1840 (the project's first days, no startapp of its own, no option
# questions), fafd85e (the project's startapp), d76d320 (whose update stopped cruft with "'template_repository'
# is undefined") and e24481b, the last before core/ was split into apps by concern, whose moved names
# (core.media in migrations, core.tables in apps startapp made) must keep working. (7b22a4a and 7fd65a3, of
# the weeks between, were dropped when the suite outgrew its 20 minutes: e24481b updates across all they did.)
HISTORY = ["67d1840", "fafd85e", "d76d320", "e24481b"]
ANSWERS = {"project_name": "Μητρώο Αδειών", "project_slug": "mitroo_adeion", "language_code": "el"}
COMMENTS = {".py": "# {}", ".txt": "# {}", ".toml": "# {}", ".md": "<!-- {} -->", ".html": "{{# {} #}}"}
LOCAL_EDITS = 6


def git(*arguments, cwd):
    return subprocess.run(["git", *arguments], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def commit_all(path, message):
    git("add", "-A", cwd=path)
    git("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-qm", message, cwd=path)
    return git("rev-parse", "HEAD", cwd=path)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A clone of this repository with the working tree, committed or not, as its newest commit."""
    path = tmp_path_factory.mktemp("template") / "template"
    git("clone", "-q", str(REPO), str(path), cwd=REPO)
    for name in git("ls-files", "-z", cwd=path).split("\0"):
        if name and not (REPO / name).exists():
            (path / name).unlink()
    names = git("ls-files", "--cached", "--others", "--exclude-standard", "-z", cwd=REPO).split("\0")
    for name in filter(None, names):
        if (REPO / name).is_file():
            (path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, path / name)
    if git("status", "--porcelain", cwd=path):
        commit_all(path, "The working tree")
    return path


def bake_at(template, commit, folder, answers=ANSWERS):
    """A project baked at ``commit`` with its .cruft.json, as cruft create --checkout writes it."""
    root, context = update.bake_commit(template, commit, answers, folder / "bake")
    project = shutil.copytree(root, folder / root.name)
    tracking = {
        "template": str(template),
        "commit": commit,
        "checkout": commit,
        "context": {"cookiecutter": {**context, "_commit": commit}},
        "directory": None,
    }
    (project / ".cruft.json").write_text(json.dumps(tracking, indent=2), encoding="utf-8")
    return project


def add_app(project, name):
    """python manage.py startapp NAME: the project's own command where it has one, Django's otherwise (by hand)."""
    package = project / "mitroo_adeion"
    command = package / "core" / "management" / "commands" / "startapp.py"
    if command.exists():
        greek = GREEK_NAMES if "--verbose-name" in command.read_text(encoding="utf-8") else []
        return ["manage.py", "startapp", name, *greek], True
    (package / name).mkdir()
    return ["manage.py", "startapp", name, f"mitroo_adeion/{name}"], False


def lines(content):
    return content.decode("utf-8", "surrogateescape").splitlines(keepends=True) if content is not None else []


def local_edits(project, old_root, new_root):
    """Comment lines put right before the first line the template changes, in up to LOCAL_EDITS text files."""
    edits = {}
    for path in sorted(update.files_of(old_root) & update.files_of(new_root)):
        comment = COMMENTS.get((project / path).suffix)
        old, new = (old_root / path).read_bytes(), (new_root / path).read_bytes()
        if comment is None or old == new or "settings/local" in path or (project / path).read_bytes() != old:
            continue
        before = lines(old)
        opcodes = difflib.SequenceMatcher(None, before, lines(new), autojunk=False).get_opcodes()
        start = next(i1 for tag, i1, *_ in opcodes if tag != "equal")
        neighbour = before[min(start, len(before) - 1)] if before else ""
        indent = re.match(r"[ \t]*", neighbour)[0]
        text = indent + comment.format(f"Our note in {path}") + "\n"
        before.insert(start, text)
        (project / path).write_text("".join(before), encoding="utf-8")
        edits[path] = text
        if len(edits) == LOCAL_EDITS:
            break
    return edits


def resolve(text, ours_added):
    """Each conflict: the template's side, then the lines this project had added on its own."""
    pattern = re.compile(r"^<<<<<<< [^\n]*\n(.*?)^=======\n(.*?)^>>>>>>> [^\n]*\n", re.DOTALL | re.MULTILINE)

    def resolved(match):
        ours, theirs = match[1].splitlines(keepends=True), match[2]
        return theirs + "".join(line for line in ours if line in ours_added)

    return pattern.sub(resolved, text)


def follow_the_new_guidelines(project):
    """What the newer checks ask of apps made from an older app template: protected attachments (core.W009)."""
    report = project.manage("check", check=False)
    for app in sorted({match[1] for match in re.finditer(r"^(\w+)\.\w+\.\w+: \(core\.W009\)", report.stderr, re.M)}):
        models = project.path / project.slug / app / "models.py"
        text = models.read_text(encoding="utf-8").replace("models.FileField(", "ProtectedFileField(")
        models.write_text(text.replace("import DatedUploadTo\n", "import DatedUploadTo, ProtectedFileField\n"))
        project.manage("makemigrations", app)


def translate_what_is_missing(project):
    """What a Greek team does for apps made before the app template brought catalogues of their own: collect their
    strings into the project's catalogue (python tasks.py messages), translate them (here: one word, no English in
    it, for the pages' checks), compile."""
    project.run("tasks.py", "messages")
    catalogue = project.path / "locale" / "el" / "LC_MESSAGES" / "django.po"
    text = re.sub(r"^#(, fuzzy|\| .*)\n", "", catalogue.read_text(encoding="utf-8"), flags=re.M)
    text = re.sub(
        r'^msgid "(.+)"\nmsgstr ""\n', lambda m: f'msgid "{m[1]}"\nmsgstr "{greek(m[1])}"\n', text, flags=re.M
    )
    text = re.sub(r'^(msgid_plural "(.+)"\n(?:msgstr\[\d\] ""\n)+)', plural_translated, text, flags=re.M)
    catalogue.write_text(text, encoding="utf-8")
    project.manage("compilemessages", "-l", "el", "--ignore", ".venv")


def plural_translated(match):
    first, *rest = match[1].splitlines(keepends=True)
    return first + "".join(line.replace('""', f'"{greek(match[2])}"') for line in rest)


def greek(message):
    """A stand-in translation with no English in it, keeping the message's placeholders."""
    return " ".join(["Μετάφραση", *re.findall(r"%\(\w+\)[sd]|%[sd]", message)])


@pytest.mark.parametrize("commit", HISTORY)
def test_an_update_from_an_older_commit_applies_or_reports_every_change(commit, template, tmp_path, baked_python):
    commit = git("rev-parse", commit, cwd=template)
    newest = git("rev-parse", "HEAD", cwd=template)
    project = bake_at(template, commit, tmp_path)
    git("init", "-q", "-b", "main", cwd=project)
    commit_all(project, "Baked")
    for name in ("permits", "inspections"):
        arguments, own = add_app(project, name)
        result = subprocess.run([str(baked_python), *arguments], cwd=project, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        if not own:  # as the README of those days said: name the app and list it in INSTALLED_APPS
            apps = project / "mitroo_adeion" / name / "apps.py"
            apps.write_text(re.sub(rf"name = .{name}.", f'name = "mitroo_adeion.{name}"', apps.read_text()))
            settings = project / "mitroo_adeion" / "settings" / "base.py"
            text = settings.read_text(encoding="utf-8")
            settings.write_text(
                text.replace(
                    '    "mitroo_adeion.users",\n', f'    "mitroo_adeion.users",\n    "mitroo_adeion.{name}",\n'
                ),
                encoding="utf-8",
            )
    old_root, _ = update.bake_commit(template, commit, ANSWERS, tmp_path / "old")
    new_root, _ = update.bake_commit(template, newest, ANSWERS, tmp_path / "new")
    edits = local_edits(project, old_root, new_root)
    assert len(edits) >= 3
    local_settings = (project / "mitroo_adeion" / "settings" / "local.py").read_bytes()
    before_update = {path: (project / path).read_bytes() for path in update.files_of(project) if ".git/" not in path}
    commit_all(project, "Our apps and notes")

    outcome = update.update(project, template)

    skipped = {".cruft.json", "mitroo_adeion/settings/local.py"}
    changed = {
        path
        for path in (update.files_of(old_root) | update.files_of(new_root)) - skipped
        if update.read(old_root / path) != update.read(new_root / path)
    }
    reported = set(outcome.applied) | {re.split(r"[: ]", conflict)[0] for conflict in outcome.conflicts}
    moved = update.renames(update.files_of(old_root), update.files_of(new_root), old_root, new_root)
    for path in changed:
        if path in reported or moved.get(path) in reported or path in moved.values():
            continue
        # Not reported: the project already had the template's version.
        assert update.read(project / path) == update.read(new_root / path), path
    for path in outcome.applied:
        new = update.read(new_root / path)
        added = set(lines(new)) - set(lines(update.read(old_root / path)))
        assert added <= set(lines(update.read(project / path))), path
    for path, text in edits.items():
        target = moved.get(path, path)
        assert text in (project / target).read_text(encoding="utf-8"), f"our note in {path} was lost"
    assert (project / "mitroo_adeion" / "settings" / "local.py").read_bytes() == local_settings
    tracking = json.loads((project / ".cruft.json").read_text(encoding="utf-8"))
    assert outcome.conflicts, "the notes next to the template's changes must conflict"
    assert tracking["commit"] == commit and tracking["update_in_progress"]["commit"] == newest
    with pytest.raises(update.UpdateFailed, match="conflict markers are still in"):
        update.record_resolved(project)

    ours_added = set()
    for path, content in before_update.items():
        ours_added |= set(lines(content)) - set(lines(update.read(old_root / path)))
    for path in update.files_of(project):
        file = project / path
        if ".git/" not in path and b"<<<<<<< this project" in file.read_bytes():
            file.write_text(resolve(file.read_text(encoding="utf-8"), ours_added), encoding="utf-8")
    for path, text in edits.items():
        assert text in (project / moved.get(path, path)).read_text(encoding="utf-8")
    assert update.record_resolved(project) == newest
    tracking = json.loads((project / ".cruft.json").read_text(encoding="utf-8"))
    assert tracking["commit"] == newest and "update_in_progress" not in tracking

    checked = Project(project, baked_python, selected_options(ANSWERS))
    # As docs/update.md says: the apps record what they inherit from core anew (the audit fields' names).
    checked.manage("makemigrations")
    follow_the_new_guidelines(checked)
    translate_what_is_missing(checked)
    checked.manage("migrate")
    checked.manage("check", "--fail-level", "WARNING")
    checked.manage("makemigrations", "--check", "--dry-run")
    result = checked.run("-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", timeout=900)
    assert re.search(r"\d+ passed", result.stdout) and "failed" not in result.stdout, result.stdout


LONG_GREEK_NAME = "Μητρώο Αδειών Λειτουργίας Καταστημάτων"


def test_a_quickstart_project_is_ready_to_update_and_python_tasks_py_update_merges(template, tmp_path):
    """quickstart --ask, answered at its prompts; then the project's own command, through a clone of the template."""
    # The name, the defaults up to the language, Greek, then each option's default.
    answers = "\n".join([LONG_GREEK_NAME, "", "", "", "", "", "", "el", *[""] * len(OPTIONS)]) + "\n"
    result = subprocess.run(
        [sys.executable, REPO / "tools" / "quickstart.py", "--ask", "--no-server", "--output-dir", tmp_path],
        input=answers,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (project,) = tmp_path.iterdir()
    assert f"quickstart.py --project {project}" in result.stdout
    assert git("log", "--format=%s", cwd=project) == "Baked from the template"
    assert git("status", "--porcelain", cwd=project) == ""
    tracking = json.loads((project / ".cruft.json").read_text(encoding="utf-8"))
    assert tracking["commit"] == git("rev-parse", "HEAD", cwd=REPO)
    assert tracking["context"]["cookiecutter"]["project_name"] == LONG_GREEK_NAME
    python = project / ".venv" / "bin" / "python"
    subprocess.run([python, "manage.py", "startapp", "permits", *GREEK_NAMES], cwd=project, check=True)
    readme = project / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\nOur notes.\n", encoding="utf-8")
    commit_all(project, "Our app and notes")
    # The template moves on (here a copy of it: .cruft.json says where the team's template lives).
    newer = tmp_path.parent / "newer-template"
    git("clone", "-q", str(template), str(newer), cwd=tmp_path)
    base = newer / "{{cookiecutter.project_slug}}" / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("<title>", "<title>New: "), encoding="utf-8")
    commit_all(newer, "A newer title")
    tracking["template"] = str(newer)
    (project / ".cruft.json").write_text(json.dumps(tracking), encoding="utf-8")
    commit_all(project, "The template moved")

    check = subprocess.run([python, "tasks.py", "update", "--check"], cwd=project, capture_output=True, text=True)
    assert check.returncode == 1 and "The template moved on" in check.stdout, check.stdout + check.stderr
    updated = subprocess.run([python, "tasks.py", "update"], cwd=project, capture_output=True, text=True, timeout=600)

    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert "<title>New: " in (project / "templates" / "base.html").read_text(encoding="utf-8")
    assert readme.read_text(encoding="utf-8").endswith("Our notes.\n")
    assert json.loads((project / ".cruft.json").read_text(encoding="utf-8"))["commit"] == git(
        "rev-parse", "HEAD", cwd=newer
    )
    assert "permits" in (project / project.name / "settings" / "base.py").read_text(encoding="utf-8")
    subprocess.run([python, "manage.py", "check", "--fail-level", "WARNING"], cwd=project, check=True)
    # The generated CI's template job now finds the project up to date.
    commit_all(project, "Template update")
    (output,) = run_job_steps(project, "template", python)
    assert "up to date" in output


def test_moves_deletions_line_endings_and_unfinished_updates(template, tmp_path, baked_python):
    """The template moves a file the project changed, deletes one the project's app uses and one nobody uses."""
    answers = {"project_name": "Registry"}
    project = bake_at(template, git("rev-parse", "HEAD", cwd=template), tmp_path, answers)
    git("init", "-q", "-b", "main", cwd=project)
    commit_all(project, "Baked")
    result = subprocess.run([baked_python, "manage.py", "startapp", "permits"], cwd=project, capture_output=True)
    assert result.returncode == 0, result.stderr
    guidelines = project / "docs" / "guidelines.md"
    guidelines.write_text(guidelines.read_text(encoding="utf-8").replace("\n\n", "\n\nOur rule.\n\n", 1))
    readme = project / "README.md"
    readme.write_bytes(readme.read_bytes().replace(b"\n", b"\r\n"))  # as a Windows checkout has it
    commit_all(project, "Our app, our rule, Windows line endings")

    newer = tmp_path / "newer-template"
    git("clone", "-q", str(template), str(newer), cwd=tmp_path)
    folder = newer / "{{cookiecutter.project_slug}}"
    git("mv", "docs/guidelines.md", "docs/handbook.md", cwd=folder)
    git("mv", "docs/documents.md", "docs/example_app.md", cwd=folder)  # moved as it is
    (folder / "docs" / "handbook.md").write_text((folder / "docs" / "handbook.md").read_text() + "\nNew advice.\n")
    (folder / "templates" / "partials" / "_filter_form.html").unlink()
    git("rm", "-q", "templates/partials/_footer.html", cwd=folder)
    (folder / "README.md").write_text((folder / "README.md").read_text(encoding="utf-8") + "\nTemplate news.\n")
    commit_all(newer, "Moved, deleted, news")

    (project / "scratch.txt").write_text("not committed")
    with pytest.raises(update.UpdateFailed, match="uncommitted changes"):
        update.update(project, newer)
    (project / "scratch.txt").unlink()
    outcome = update.update(project, newer)

    handbook = (project / "docs" / "handbook.md").read_text(encoding="utf-8")
    assert "Our rule." in handbook and "New advice." in handbook and not guidelines.exists()
    assert (project / "docs" / "example_app.md").exists() and not (project / "docs" / "documents.md").exists()
    assert (project / "templates" / "partials" / "_filter_form.html").exists()
    (kept,) = [conflict for conflict in outcome.conflicts if "_filter_form" in conflict]
    assert "still used by" in kept and "permits" in kept
    assert not (project / "templates" / "partials" / "_footer.html").exists()
    text = readme.read_bytes()
    assert text.endswith(b"Template news.\r\n") and b"\r\n" in text and b"\n" not in text.replace(b"\r\n", b"")
    with pytest.raises(update.UpdateFailed, match="waiting for its conflicts"):
        update.update(project, newer)
    assert update.record_resolved(project) == git("rev-parse", "HEAD", cwd=newer)


def test_hostile_tracking_files_and_arguments_are_refused_in_one_line(bake, tmp_path):
    project = bake()
    tracking_file = project / ".cruft.json"
    tracking = json.loads(tracking_file.read_text(encoding="utf-8"))
    proof = tmp_path / "proof"

    def tasks_update(*arguments):
        return subprocess.run(
            [sys.executable, "tasks.py", "update", *arguments],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=120,
        )

    tracking_file.write_text(json.dumps({**tracking, "commit": f"--output={proof}"}), encoding="utf-8")
    with pytest.raises(update.UpdateFailed, match="is not a full commit id"):
        update.update(project, REPO)
    assert update.main([str(project), "--set", "use_tasks"]) == 2
    tracking_file.write_text(json.dumps({**tracking, "template": f"--upload-pack=touch {proof}"}), encoding="utf-8")
    assert tasks_update().returncode != 0
    tracking_file.write_text(json.dumps(tracking), encoding="utf-8")
    refused = tasks_update(f"--checkout=--output={proof}")
    assert refused.returncode == 2 and "name a branch, tag or commit" in refused.stderr
    assert not proof.exists()
