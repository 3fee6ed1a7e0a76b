"""A new record type is one small app and one edit outside it (INSTALLED_APPS), as
docs/architecture.md says: the throw-away type of tests/throwaway/ is installed by its own
settings and its every surface is checked in a process of its own (its model is in no
migration of the project)."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "tests" / "throwaway"
# Not part of the app: the settings stand for the edit of INSTALLED_APPS, and the checks
# of every surface are the worked example's tests.
HARNESS = {"settings.py", "surfaces.py"}


def app_files():
    return sorted(
        path.relative_to(APP).as_posix()
        for path in APP.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.name not in HARNESS
    )


def test_the_recipe_counts_the_files_of_its_worked_example():
    recipe = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    stated = int(re.search(r"`tests/throwaway/`\): (\d+) files", recipe)[1])
    assert len(app_files()) == stated <= 10, app_files()


def test_every_surface_of_a_new_type():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.throwaway.settings"}
    command = [sys.executable, "-m", "pytest", "tests/throwaway/surfaces.py"]
    done = subprocess.run(
        [*command, "-p", "no:cacheprovider", "-q"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert " passed" in done.stdout.splitlines()[-1]
