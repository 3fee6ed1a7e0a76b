"""How many cases each fuzz target tried, and how many of them failed (a failing case is
tried again while Hypothesis shrinks it), printed at the end of the run by
tests/fuzz/conftest.py."""

from collections import Counter, defaultdict

tried = defaultdict(Counter)  # {group: {target: cases}}
failed = defaultdict(Counter)


def case(group, target):
    """Counts a case; use as `with case(...):` around what may fail."""
    return _Case(group, target)


class _Case:
    def __init__(self, group, target):
        self.group, self.target = group, target

    def __enter__(self):
        tried[self.group][self.target] += 1

    def __exit__(self, kind, error, traceback):
        failed[self.group][self.target] += kind is not None
        return False
