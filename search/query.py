"""What a search asks and what it answers, the same for every backend."""

import math
from dataclasses import dataclass, field
from datetime import datetime

from .analysis import FRENCH, MAX_QUERY_CHARS, clean, query_words, stem_variants

FACETS = ("type", "tags", "quartier", "status")
MAX_PAGE = 1000
MAX_FILTER_VALUES = 10
TAG_FACET_SIZE = 30


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    types: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # every tag must be present
    quartiers: tuple[str, ...] = ()  # any of them
    statuses: tuple[str, ...] = ()  # any of them
    page: int = 1
    page_size: int = 20
    # The reader's language: its documents, and the French ones of pages not translated into it
    # (search.permissions.VisibilityFilter); its words are matched plain and, for the French
    # documents, stemmed.
    language: str = FRENCH

    @classmethod
    def build(cls, text="", types=(), tags=(), quartiers=(), statuses=(), page=1, page_size=20, language=FRENCH):
        """A query with its inputs cleaned: text cut to 200 characters, filter values deduplicated."""

        def values(items):
            out = []
            for item in items or ():
                item = clean(item).strip()[:100]
                if item and item not in out:
                    out.append(item)
            return tuple(out[:MAX_FILTER_VALUES])

        return cls(text=clean(text)[:MAX_QUERY_CHARS].strip(), types=values(types), tags=values(tags),
                   quartiers=values(quartiers), statuses=values(statuses),
                   page=max(1, min(int(page), MAX_PAGE)), page_size=max(1, min(int(page_size), 50)),
                   language=language or FRENCH)

    @property
    def words(self) -> list[str]:
        return query_words(self.text)

    @property
    def stem_groups(self) -> list[list[str]]:
        """One group per word: the stems of its singular and plural forms (any of them matches); in
        another language than French, the plain word too (its documents are indexed unstemmed)."""
        if self.language == FRENCH:
            return [stem_variants(w) for w in self.words]
        return [list(dict.fromkeys([w, *stem_variants(w)])) for w in self.words]

    @property
    def stems(self) -> list[str]:
        return list(dict.fromkeys(s for group in self.stem_groups for s in group))

    @property
    def has_filters(self):
        return bool(self.types or self.tags or self.quartiers or self.statuses)

    @property
    def offset(self):
        return (self.page - 1) * self.page_size

    def with_text(self, text):
        return SearchQuery(text=text, types=self.types, tags=self.tags, quartiers=self.quartiers,
                           statuses=self.statuses, page=1, page_size=self.page_size, language=self.language)


@dataclass
class Hit:
    type: str
    id: str
    title: str
    url: str
    highlight: str  # safe HTML: escaped text, matching words in <mark>
    score: float
    date: datetime | None = None
    mairie: str | None = None
    tags: list[str] = field(default_factory=list)
    quartier: str = ""
    status: str = ""
    title_highlight: str = ""
    type_label: str = ""


@dataclass
class SearchResults:
    query: SearchQuery
    count: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=lambda: {name: {} for name in FACETS})
    suggestions: list[str] = field(default_factory=list)  # "did you mean" queries
    match: str = "all"  # "all": every word matched; "any": no document had them all, any word counts

    @property
    def num_pages(self):
        return max(1, math.ceil(self.count / self.query.page_size))

    @property
    def page_exists(self):
        return self.query.page <= self.num_pages
