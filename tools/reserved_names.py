"""The top-level modules a project package must not take: those of every package a baked project installs.

    python tools/reserved_names.py [PYTHON]

rewrites reserved_modules.txt (read by local_extensions.py) from the packages installed for PYTHON,
by default the test suite's virtualenv of baked projects (.cache/baked-venv: every option's dev and
prod requirements). The standard library is checked apart, with sys.stdlib_module_names.
tests/test_hooks.py fails when the file and the requirements drift apart.
"""

import subprocess
import sys
from pathlib import Path

# Run as a script (python3 tools/reserved_names.py): the template's modules import from the repository's root.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from tools.envs import REPO, venv_python  # noqa: E402

RESERVED_MODULES = REPO / "reserved_modules.txt"
# pip and setuptools come with the virtualenv (and differ between Pythons), not with the requirements:
# local_extensions.py reserves them itself.
LIST_INSTALLED = (
    "import importlib.metadata as metadata, sys\n"
    "for name, distributions in metadata.packages_distributions().items():\n"
    "    if {'pip', 'setuptools'} & set(distributions) or name in sys.stdlib_module_names:\n"
    "        continue\n"
    "    if name.isidentifier() and not name.startswith('_'):\n"
    "        print(name)\n"
)


def installed_modules(python):
    """The importable top-level names of the packages installed for ``python``."""
    result = subprocess.run([str(python), "-c", LIST_INSTALLED], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def main(arguments):
    python = arguments[0] if arguments else venv_python(REPO / ".cache" / "baked-venv")
    names = sorted(installed_modules(python))
    RESERVED_MODULES.write_text(
        "# Written by tools/reserved_names.py: the top-level modules of the packages baked projects install.\n"
        + "".join(f"{name}\n" for name in names),
        encoding="utf-8",
    )
    print(f"{len(names)} names written to {RESERVED_MODULES.name}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
