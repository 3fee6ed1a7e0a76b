"""A throw-away record type, calls for applications: the worked example of "How to add a
record type" (docs/architecture.md). It is installed only by tests.throwaway.settings,
which tests/test_throwaway_type.py runs tests/throwaway/surfaces.py under."""
