from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ecosystem.core.records import record_type
from ecosystem.core.registry import registry
from tests.throwaway.models import Call

CALLS = record_type(
    key="calls",
    position=60,
    model=Call,
    fields=["kind"],
    title=_("Calls for applications"),
    count_label=ngettext_lazy("%(counter)s call", "%(counter)s calls", "counter"),
    description=_("Calls for applications: trainings, missions, consultations."),
)


def register():
    registry.register(CALLS)
