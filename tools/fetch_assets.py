"""Vendor the project's front-end files, unmodified, from the npm registry.

Run it to refresh the files under {{cookiecutter.project_slug}}/static/vendor/
after changing a version here; it needs Node's npm on PATH. Each package's
licence file is copied next to its files.

    python tools/fetch_assets.py
"""

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# Run as a script (python3 tools/fetch_assets.py): the template's modules import from the repository's root.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from option_rule import REPO, owning_option  # noqa: E402

VENDOR_DIR = REPO / "{{cookiecutter.project_slug}}" / "static" / "vendor"

# npm package -> (version, folder under static/vendor, {path in the package: file name})
PACKAGES = {
    # Development only: partials/_assets.html loads it when DEBUG is on and the URL asks (?axe), to check
    # a page against WCAG 2.1 AA; the template's tests run it on every page.
    "axe-core": (
        "4.14.1",
        "axe-core",
        {"LICENSE": "LICENSE", "axe.min.js": "axe.min.js"},
    ),
    "bootstrap": (
        "5.3.8",
        "bootstrap",
        {
            "LICENSE": "LICENSE",
            "dist/css/bootstrap.min.css": "bootstrap.min.css",
            "dist/css/bootstrap.min.css.map": "bootstrap.min.css.map",
            "dist/js/bootstrap.bundle.min.js": "bootstrap.bundle.min.js",
            "dist/js/bootstrap.bundle.min.js.map": "bootstrap.bundle.min.js.map",
        },
    ),
    # The PDFs' font (files/pdf.py): Greek, Cyrillic and Latin, embedded in each file.
    "dejavu-fonts-ttf": (
        "2.37.3",
        "dejavu",
        {
            "LICENSE": "LICENSE",
            "ttf/DejaVuSans.ttf": "DejaVuSans.ttf",
            "ttf/DejaVuSans-Bold.ttf": "DejaVuSans-Bold.ttf",
        },
    ),
    "unpoly": (
        "3.14.3",
        "unpoly",
        {
            "LICENSE": "LICENSE",
            "unpoly.min.js": "unpoly.min.js",
            "unpoly.min.js.map": "unpoly.min.js.map",
            "unpoly.min.css": "unpoly.min.css",
            "unpoly.min.css.map": "unpoly.min.css.map",
            "unpoly-bootstrap5.min.js": "unpoly-bootstrap5.min.js",
            "unpoly-bootstrap5.min.js.map": "unpoly-bootstrap5.min.js.map",
            "unpoly-bootstrap5.min.css": "unpoly-bootstrap5.min.css",
            "unpoly-bootstrap5.min.css.map": "unpoly-bootstrap5.min.css.map",
        },
    ),
}


def fetch(package, version, folder, files, workdir):
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is not on PATH: install Node.js to refresh vendored assets.")
    subprocess.run(
        [npm, "pack", "--loglevel=error", f"{package}@{version}", "--pack-destination", str(workdir)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    (tarball,) = workdir.glob(f"{package}-{version}.tgz")
    target = VENDOR_DIR / folder
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    with tarfile.open(tarball) as archive:
        for source, name in files.items():
            member = archive.extractfile(f"package/{source}")
            (target / name).write_bytes(member.read())
    (target / "VERSION").write_text(f"{package} {version}\n", encoding="utf-8")
    owner = owning_option(f"static/vendor/{folder}")
    used_by = f"projects baked with {owner}" if owner else "every project"
    print(f"{package} {version} -> {target.relative_to(VENDOR_DIR.parent.parent)} ({used_by})")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        for package, (version, folder, files) in PACKAGES.items():
            fetch(package, version, folder, files, Path(tmp))


if __name__ == "__main__":
    main()
