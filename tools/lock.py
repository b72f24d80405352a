"""Make the template's locks anew: an every-option bake runs its own python tasks.py lock, and its locks come back.

    python3 tools/lock.py              # after changing a range in {{cookiecutter.project_slug}}/requirements/*.in
    python3 tools/lock.py --upgrade    # the newest versions the ranges allow

A bake keeps of these locks what its options need (locks.py, run by the post-gen hook).
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Run as a script: the template's modules import from the repository's root.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from option_rule import OPTIONS, SLUG_PLACEHOLDER  # noqa: E402
from tools.bake import bake, tooling_python  # noqa: E402
from tools.envs import REPO  # noqa: E402


def main(arguments):
    with tempfile.TemporaryDirectory() as folder:
        project = bake(folder, dict.fromkeys(OPTIONS, True))
        code = subprocess.run([str(tooling_python()), "tasks.py", "lock", *arguments], cwd=project).returncode
        if code:
            return code
        for lock in ("prod.txt", "dev.txt"):
            shutil.copyfile(project / "requirements" / lock, REPO / SLUG_PLACEHOLDER / "requirements" / lock)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
