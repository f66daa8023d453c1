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
