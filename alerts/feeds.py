"""The Atom feed of any list or "find support" answer: the no-email way to follow what
the follow form follows by email, at the address beside it
(/en/alerts/feed.atom?list=opportunities&country=SN&stage=2, as /en/alerts/follow/ is
the form's). It holds the newest records of that list that its filters keep, read as
`followed_from` reads the follow form's address: the page and sort left out, a value
the list refuses set aside (and named in the feed's subtitle), an unknown list a 404,
filters too long to keep a 400. The site's feed of what is new (ecosystem.site.feeds)
lends it its format and its entries. Public and kept whole for visitors like the site's
feed (ecosystem.core.cache.page_cache), under its full query."""

from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext as _

from alerts.follow import SUPPORT, feed_path, followed_from
from alerts.views import refused
from ecosystem.core.exports import printable
from ecosystem.site.feeds import ITEMS, UpdatesFeed
from opportunities.support import Answers, find_support


@dataclass
class Asked:
    """What a feed's address follows and what it set aside. The title and the items
    read the filters' countries and sectors once (`memo`, as a digest's run does)."""

    followed: object
    ignored: list
    known: dict = field(default_factory=dict)

    def memo(self, key, compute):
        if key not in self.known:
            self.known[key] = compute()
        return self.known[key]


class FollowedFeed(UpdatesFeed):
    """The feed of the list ?list= names, with its filters; its entries are written as
    the site's feed writes them. Each method takes the `Asked`."""

    def __call__(self, request, *args, **kwargs):
        followed, ignored = followed_from(request.GET.get("list", ""), request.GET)
        if followed is None:
            if ignored:  # filters too long to keep
                return refused(request, str(ignored[0]), 400)
            return refused(request, _("This list cannot be followed: the address names none."), 404)
        return super().__call__(request, *args, asked=Asked(followed, ignored), **kwargs)

    def get_object(self, request, asked):
        return asked

    def title(self, asked):
        # Printable: a search typed with control characters would not make XML.
        return printable(asked.followed.title(asked))

    def subtitle(self, asked):
        if not asked.ignored:
            return None
        # What the list's page would say above its results.
        ignored = "; ".join(str(item) for item in asked.ignored)
        return printable(f"{_('Some of the request could not be used and was ignored:')} {ignored}")

    def link(self, asked):
        return asked.followed.path()

    def feed_url(self, asked):
        """The feed's own address, its filters included (Django's default would drop
        the query)."""
        return feed_path(asked.followed.key, QueryDict(asked.followed.query))

    def items(self, asked):
        """The newest first (by when they were added), at most ITEMS."""
        followed = asked.followed
        if followed.key == SUPPORT:
            return support_items(asked)
        filterset = asked.memo(("filterset", followed.key, followed.query), followed.filterset)
        return list(filterset.qs.order_by("-created", "-pk")[:ITEMS])

    def item_extra_kwargs(self, item):
        """A find-support record's summary starts with why it fits."""
        kwargs = super().item_extra_kwargs(item)
        fits = getattr(item, "fits", "")
        if fits:
            summary = kwargs["summary"]
            kwargs["summary"] = printable(f"{fits} — {summary}" if summary else fits)
        return kwargs


def support_items(asked):
    """The answer's records (its four sections, each bounded), newest first, each with
    the reason it fits (`fits`); none when an answer names what no longer exists."""
    followed = asked.followed
    form = asked.memo(("form", followed.query), followed.form)
    if not form.is_valid():
        return []
    support = find_support(Answers.from_form(form))
    records = []
    for _key, _title, matches in support.sections:
        for match in matches:
            match.record.fits = match.reason
            records.append(match.record)
    records.sort(key=lambda record: record.created, reverse=True)
    return records[:ITEMS]
