"""The one shape every searchable object takes. Apps build these; only search/ talks to engines."""

from dataclasses import dataclass, field
from datetime import datetime

PUBLIC = "public"  # anyone, on the document's mairie (or everywhere when mairie is None)
AGENTS = "agents"  # agents, editors and organisers of any mairie (the Bricolages wiki)
AUDIENCES = (PUBLIC, AGENTS)


@dataclass
class SearchDocument:
    type: str  # a registered type key, e.g. "bureau.project"
    id: str  # unique across types: "<type>:<pk>"
    mairie: str | None  # mairie slug, or None for platform-wide content
    audience: str  # PUBLIC or AGENTS
    title: str
    body: str  # public text only: never a complaint's letter, scan or contact
    url: str  # path on the mairie's site
    tags: list[str] = field(default_factory=list)
    quartier: str | None = None
    status: str = ""
    date: datetime | None = None
    # The language of the text (a page's locale; French for everything else, written in French) and,
    # for a page, the key its translations share: a search in another language also finds the
    # French document of a page not translated into it (search.permissions.VisibilityFilter).
    language: str = "fr"
    translation_key: str = ""
    translated_into: list[str] = field(default_factory=list)  # Elasticsearch only: the page's other live languages
