"""The locks (requirements/dev.txt, prod.txt) against the ranges they are made from (dev.in, prod.in).

python tasks.py lock makes them with uv: every package an environment installs, on Linux and Windows,
pinned with the hashes of its files. python tasks.py lock --check (and the test suite) says where a
lock and its ranges disagree: a package missing or outside its range, one nothing needs any more, one
without hashes, or a package dev.txt pins otherwise than prod.txt, so the tests never run other
versions than the servers.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

REQUIREMENTS = Path(__file__).resolve().parent / "requirements"
# Each lock and the ranges it is made from.
LOCKS = {"prod.txt": "prod.in", "dev.txt": "dev.in"}
NAME = r"(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?"
# A pinned package as uv writes it (name[extras]==version ; marker), its hashes on the lines below.
ENTRY = re.compile(NAME + r"==(?P<version>[^\s;\\]+)(?: ; (?P<marker>[^\\]+))?")
REQUIREMENT = re.compile(NAME + r"\s*(?P<specifier>[^;#]*)")


def normalized(name):
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass
class Entry:
    name: str
    version: str
    marker: str | None
    pin: str
    hashes: int = 0
    via: list = field(default_factory=list)

    @property
    def needed_by(self):
        return {normalized(item) for item in self.via if not item.startswith("-")}

    def text(self, kept=None):
        """The entry as uv writes it; with ``kept``, its ``# via`` lines name only those packages."""
        via = [item for item in self.via if kept is None or item.startswith("-") or normalized(item) in kept]
        if len(via) < 2:
            return self.pin + "".join(f"    # via {item}\n" for item in via)
        return self.pin + "    # via\n" + "".join(f"    #   {item}\n" for item in via)


def entries(lock_text):
    """The header's lines, then each pinned package of a lock as uv writes it."""
    header, pinned = [], []
    for line in lock_text.splitlines(keepends=True):
        match = ENTRY.match(line)
        comment = line.strip().removeprefix("#").strip()
        if match:
            name, marker = normalized(match["name"]), match["marker"]
            pinned.append(Entry(name, match["version"], marker and marker.strip(), line))
        elif not pinned:
            header.append(line)
        elif line.lstrip().startswith("#"):
            # "# via a" names one package that needs this one; "# via", then "#   a", "#   b", several.
            item = comment.removeprefix("via").strip() if comment.split(" ")[0] == "via" else comment
            if item:
                pinned[-1].via.append(item)
        else:
            pinned[-1].pin += line
            pinned[-1].hashes += "--hash=" in line
    return header, pinned


def ranges(path):
    """{name: specifier} of a ranges file and the ones it includes (-r)."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            found.update(ranges(path.parent / line.removeprefix("-r ").strip()))
        elif line:
            match = REQUIREMENT.match(line)
            found[normalized(match["name"])] = match["specifier"].strip()
    return found


def needed(pinned, roots):
    """The names in ``pinned`` that ``roots`` need, directly or through others."""
    kept, changed = set(roots), True
    while changed:
        changed = False
        for entry in pinned:
            if entry.name not in kept and entry.needed_by & kept:
                kept.add(entry.name)
                changed = True
    return kept


def prune(requirements=REQUIREMENTS):
    """Drop from each lock the packages its ranges no longer need (the bake does it for options left out)."""
    for lock, source in LOCKS.items():
        path = requirements / lock
        header, pinned = entries(path.read_text(encoding="utf-8"))
        kept = needed(pinned, ranges(requirements / source))
        text = "".join(header + [entry.text(kept) for entry in pinned if entry.name in kept])
        path.write_text(text, encoding="utf-8")


def problems(requirements=REQUIREMENTS):
    """One line for each disagreement between the locks and the ranges."""
    from packaging.specifiers import SpecifierSet  # pip's and pytest's: the check runs in the dev virtualenv

    found, versions = [], {}
    for lock, source in LOCKS.items():
        wanted = ranges(requirements / source)
        _, pinned = entries((requirements / lock).read_text(encoding="utf-8"))
        versions[lock] = {(entry.name, entry.version, entry.marker) for entry in pinned}
        for name, specifier in wanted.items():
            pins = [entry.version for entry in pinned if entry.name == name]
            if not pins:
                found.append(f"{lock}: {name} is in {source} but not in the lock")
            found += [
                f"{lock}: {name}=={version} is outside {source}'s range {specifier}"
                for version in pins
                if not SpecifierSet(specifier).contains(version, prereleases=True)
            ]
        kept = needed(pinned, wanted)
        for entry in pinned:
            if entry.name not in kept:
                found.append(f"{lock}: {entry.name} is pinned but nothing in {source} needs it")
            if not entry.hashes:
                found.append(f"{lock}: {entry.name} has no hashes")
    server_names = {name for name, _, _ in versions["prod.txt"]}
    differing = {pin for pin in versions["dev.txt"] ^ versions["prod.txt"] if pin[0] in server_names}
    found += sorted(f"dev.txt and prod.txt pin {name} differently" for name in {name for name, _, _ in differing})
    return found
