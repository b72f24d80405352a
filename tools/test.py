"""Run the template's test suite in its own virtualenv (.venv), on Linux, macOS and Windows.

python tools/test.py                          # the whole suite, in parallel
python tools/test.py --require-integration    # fail, don't skip, when nginx/PostgreSQL/Chromium are missing
python tools/test.py tests/test_hooks.py -x   # any pytest arguments
"""

import subprocess
import sys
from pathlib import Path

# Run as a script (python3 tools/test.py): the template's modules import from the repository's root.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from tools.envs import REPO, ensure_venv  # noqa: E402

NO_TESTS_COLLECTED = 5


def main(arguments):
    python = ensure_venv(REPO / ".venv", [REPO / "requirements.txt"])
    # A module's tests run on one worker, in order, so they share its fixtures (a bake, a server):
    # the slow end-to-end modules start their servers once.
    command = [str(python), "-m", "pytest", "-n", "auto", "--dist", "loadfile", *arguments]
    code = subprocess.run(command, cwd=REPO).returncode
    if code == NO_TESTS_COLLECTED:
        print("No tests ran: that is a failure, not a pass.", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
