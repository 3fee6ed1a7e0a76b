"""An Atom feed of new and updated records, in the page's language."""

from itertools import chain

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from ecosystem.core.exports import printable
from ecosystem.core.registry import registry

ITEMS = 30


class TextAtom1Feed(Atom1Feed):
    """Atom whose summaries are declared as what they are: plain text. Django's Atom
    declares them `type="html"`, so a reader would take a `<` typed by staff as markup.
    Titles are text already (Atom's default)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item["summary"]:
            handler.addQuickElement("summary", item["summary"], {"type": "text"})


class UpdatesFeed(Feed):
    feed_type = TextAtom1Feed

    def title(self):
        return _("What is new in the tech-support directory")

    def subtitle(self):
        return _("Organizations, programmes and events added or updated.")

    def link(self):
        return reverse("home")

    def items(self):
        recent = [
            record_type.published().order_by("-updated")[:ITEMS]
            for record_type in registry
            if record_type.in_feed
        ]
        return sorted(chain(*recent), key=lambda record: record.updated, reverse=True)[:ITEMS]

    def item_title(self, item):
        return printable(item)

    def item_description(self, item):
        return None  # Django would write it as type="html": see TextAtom1Feed

    def item_extra_kwargs(self, item):
        return {"summary": printable(item.summary)}

    def item_pubdate(self, item):
        return item.created

    def item_updateddate(self, item):
        return item.updated

    def item_categories(self, item):
        return [str(item._meta.verbose_name)]
