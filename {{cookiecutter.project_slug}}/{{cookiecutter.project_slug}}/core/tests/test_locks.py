"""The locks (requirements/dev.txt, prod.txt) agree with the ranges they are made from (locks.py)."""

import re
import shutil

import locks


def test_the_locks_agree_with_the_ranges():
    assert locks.problems() == [], "run python tasks.py lock, or fix the ranges"


def test_each_kind_of_disagreement_is_named(tmp_path):
    requirements = shutil.copytree(locks.REQUIREMENTS, tmp_path / "requirements")
    base = requirements / "base.in"
    base.write_text(re.sub(r"(?m)^Django>=\S+", "Django>=99", base.read_text()) + "never-locked>=1\n")
    dev = requirements / "dev.txt"
    text = dev.read_text()
    pytest_pin = re.search(r"(?m)^pytest==(\S+)", text)
    text = text.replace(f"pytest=={pytest_pin[1]}", "pytest==0.1")
    sqlparse_pin = re.search(r"(?m)^sqlparse==\S+ \\\n(    --hash=\S+( \\)?\n)+", text)
    text = text.replace(sqlparse_pin[0], sqlparse_pin[0].split(" \\")[0] + "\n")
    asgiref = re.search(r"(?m)^asgiref==(\S+)", text)
    dev.write_text(text.replace(f"asgiref=={asgiref[1]}", "asgiref==0.0.1") + "orphan==1.0 \\\n    --hash=sha256:00\n")

    found = locks.problems(requirements)

    assert "prod.txt: never-locked is in prod.in but not in the lock" in found
    assert any(re.fullmatch(r"prod.txt: django==\S+ is outside prod.in's range >=99", line) for line in found)
    assert any(line.startswith("dev.txt: pytest==0.1 is outside dev.in's range >=") for line in found)
    assert "dev.txt: sqlparse has no hashes" in found
    assert "dev.txt: orphan is pinned but nothing in dev.in needs it" in found
    assert "dev.txt and prod.txt pin asgiref differently" in found
    assert len(found) == len(set(found))
