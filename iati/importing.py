"""Import IATI activities as programmes: `plan` reads a file and says what it would do
without writing; `apply` writes a plan, all of it or nothing. The admin (iati/admin.py),
`manage.py import_iati` and the weekly sync share them.

A programme is matched by its IATI identifier. What a re-import may change is decided
per field and relation against what the publisher gave at the last import
(`Activity.imported`): a value the publisher changed replaces the programme's only if
the programme still holds what the last import wrote; if staff changed it since, the
programme keeps staff's value and a Conflict is recorded for staff to resolve. An
activity gone from its publisher's file is flagged, never deleted. Organizations are
matched by their IATI identifier, then by what staff chose before (KnownOrganization),
then by name; the preview asks staff about the rest (pick one, or create a draft).
"""

from dataclasses import dataclass, field

# The value of `choices[key]` that makes a new draft organization.
NEW = "new"


@dataclass
class OrganizationMatch:
    """An organization the file names, and how it is found in the directory."""

    key: str  # its IATI identifier, else its folded name: what `choices` is keyed by
    ref: str
    names: dict  # {language: name}
    organization: object = None  # the Organization found, None if staff must choose
    how: str = ""  # "identifier", "known", "name" or "" (not found)
    candidates: list = field(default_factory=list)  # Organizations of similar names
    activities: list = field(default_factory=list)  # identifiers of the activities naming it


@dataclass
class Change:
    """One field or relation of a programme: its value now and the publisher's."""

    field: str
    old: object
    new: object


@dataclass
class ActivityPlan:
    """What the import does with one activity."""

    activity: object  # the reading.Activity
    programme: object = None  # the existing Programme, None for a new one
    action: str = "create"  # create, update, unchanged
    changes: list = field(default_factory=list)  # [Change] written
    conflicts: list = field(default_factory=list)  # [Change] kept as staff left them
    unmapped_sectors: list = field(default_factory=list)  # DAC codes no mapping files
    notes: list = field(default_factory=list)  # what was set aside, in words


@dataclass
class Plan:
    activities: list  # [ActivityPlan]
    organizations: dict  # {key: OrganizationMatch}
    errors: list  # messages naming the activity and the element; none: it may be applied
    gone: list = field(default_factory=list)  # identifiers of Activities no longer in the file

    @property
    def to_choose(self):
        """The organizations staff must match (or accept as new drafts) in the preview."""
        return [match for match in self.organizations.values() if match.organization is None]


def plan(source, *, limits=None):
    """The Plan of importing the IATI activity file at `source` (a path or a binary
    file that can seek). Reads the file and the database, writes nothing. Raises
    reading.IatiFileError when the file as a whole is refused."""
    raise NotImplementedError


def apply(
    plan, *, name, choices=None, publish=False, user=None, sync_source=None, tick=lambda: None
):
    """Write a plan without errors, in one transaction; returns {action: count}.
    `choices`: {OrganizationMatch.key: an Organization's pk, or NEW}; an organization
    neither found nor chosen becomes a new draft. `name` names the file in the
    programmes' history ("import IATI: afd.xml"). New programmes are drafts unless
    `publish`."""
    raise NotImplementedError


def resolve(conflict, *, take_publisher, user=None):
    """Close a Conflict: keep staff's value, or write the publisher's into the
    programme (and remember it as imported, so that the next import sees no change)."""
    raise NotImplementedError
