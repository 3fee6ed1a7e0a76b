"""Numbered source notes: every fact on a record's page beside the source it comes from
(`{% cite %}` in ecosystem.templatetags.directory)."""


class SourceNotes:
    """A page's numbered source notes: the record's own sources first, in their order,
    then each other source a fact on the page cites, as the page cites it. The sources
    list closes the page, so it holds every number a fact took."""

    def __init__(self, sources):
        self.sources = list(sources)
        self.numbers = {source.pk: number for number, source in enumerate(self.sources, 1)}

    def number(self, source):
        if source.pk not in self.numbers:
            self.sources.append(source)
            self.numbers[source.pk] = len(self.sources)
        return self.numbers[source.pk]
