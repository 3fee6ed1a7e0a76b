"""The locks: production installs requirements.lock, with hashes and no test tool;
requirements-dev.lock adds the tools at the same versions (both from `make lock`)."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+)")


def pins(name):
    """{package: (version, hashes)} of a lock written by pip-compile."""
    found, current = {}, None
    for line in (ROOT / name).read_text().splitlines():
        if match := PIN.match(line):
            current = canonicalize_name(match[1])
            found[current] = (match[2], set())
        elif "--hash=" in line:
            found[current][1].add(line.split("--hash=")[1].rstrip(" \\"))
    return found


def declared(group=None):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["optional-dependencies"][group] if group else project["dependencies"]
    return {canonicalize_name(Requirement(line).name) for line in requirements}


def test_production_installs_every_dependency_with_hashes_and_no_test_tool():
    production = pins("requirements.lock")
    assert declared() <= production.keys()
    assert not declared("dev") & production.keys()
    assert all(hashes for _, hashes in production.values())


def test_the_development_lock_adds_the_tools_at_the_production_versions():
    production, development = pins("requirements.lock"), pins("requirements-dev.lock")
    assert declared("dev") <= development.keys()
    assert {name: development.get(name) for name in production} == production
    assert all(hashes for _, hashes in development.values())
