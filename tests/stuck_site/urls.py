from collections import deque
from itertools import repeat

from django.urls import path

from ecosystem.project.urls import handler500  # noqa: F401  (the site's error page)
from ecosystem.project.urls import urlpatterns as site_urlpatterns


def python_loop(request):
    """Work that never ends, in Python (a parser fed an endless file)."""
    while True:
        pass


def c_loop(request):
    """Work that never returns to Python, where no signal handler can run (a C library
    stuck on a file): an endless iterator drained in C."""
    deque(repeat(None), maxlen=0)


urlpatterns = [
    path("stuck/python", python_loop),
    path("stuck/c", c_loop),
    *site_urlpatterns,
]
