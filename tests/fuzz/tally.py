"""How many cases each fuzz target tried, and how many of them failed, printed at the end
of the run (tests/fuzz/conftest.py)."""

from collections import Counter

tried = Counter()
failed = Counter()
