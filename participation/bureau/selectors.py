"""Reads of the Bureau that carry its visibility rules."""

from django.db.models import Q

from cms import roles
from cms.cache import remember
from search.analysis import stem_variants, words

from .models import BureauIndexPage, Project, Status


def index_page_for(mairie):
    if mairie is None:
        return None
    return BureauIndexPage.objects.live().descendant_of(mairie.site.root_page, inclusive=True).first()


def index_path(mairie):
    """The path of the mairie's Bureau on its own site, e.g. "/bureau/" (kept with the page cache:
    it changes only when pages are published, moved or deleted)."""
    def compute():
        index = index_page_for(mairie)
        parts = index.get_url_parts() if index is not None else None
        return parts[2] if parts else "/bureau/"

    return remember(f"bureau:index-path:{getattr(mairie, 'pk', None)}", compute)


def public_projects(mairie):
    return (Project.objects.filter(mairie=mairie, published_at__isnull=False, is_hidden=False)
            .exclude(status=Status.DRAFT).select_related("author", "quartier", "image").prefetch_related("tags"))


def project_is_visible(user, project) -> bool:
    """Public projects to everyone of any mairie's host that shows them; the rest to its author
    and to the organisers of its mairie."""
    if project.is_public():
        return True
    if getattr(user, "is_authenticated", False) and project.author_id == user.pk:
        return True
    return roles.is_organiser_of(user, project.mairie)


def visible_projects(user, mairie):
    qs = Project.objects.filter(mairie=mairie)
    if roles.is_organiser_of(user, mairie):
        return qs
    public = Q(published_at__isnull=False, is_hidden=False) & ~Q(status=Status.DRAFT)
    if getattr(user, "is_authenticated", False):
        return qs.filter(public | Q(author=user))
    return qs.filter(public)


SORTS = {
    "soutiens": ("-supports_count", "-published_at"),
    "recents": ("-published_at", "-id"),
    "discussions": ("-comments_count", "-published_at"),
}


def filter_projects(qs, *, status=None, quartier=None, tag=None, text=None, sort=None):
    if status:
        qs = qs.filter(status=status)
    if quartier:
        qs = qs.filter(quartier__slug=quartier)
    if tag:
        # A subquery, not a join: no duplicate rows, so no DISTINCT (which sorts every matching row
        # before LIMIT and keeps PostgreSQL from walking an index).
        qs = qs.filter(pk__in=Project.objects.filter(tags__slug=tag).values("pk"))
    if text:
        for word in text.split()[:8]:
            qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(description__icontains=word))
    return qs.order_by(*SORTS.get(sort or "", SORTS["recents"]))


# A project is similar to the one being written when its title and summary hold at least this
# share of the significant words of the title being written: the word of a one-word title
# ("Composteur" finds "Des composteurs partagés"), one of two, two of three or four, three of five.
SIMILAR_SHARE = 0.5


def _stem_groups(text):
    """One set per significant word (folded, stop words out): its stem and its singular/plural twin's."""
    return [frozenset(stem_variants(word)) for word in dict.fromkeys(words(text)) if len(word) >= 3]


def similar_projects(mairie, title, text="", exclude_pk=None, limit=5):
    """Public projects of this mairie that look like the one being written (SIMILAR_SHARE of its
    title's words, French stems), so that people join one instead of duplicating it; the closest
    first, then those sharing most words with the text being written."""
    wanted = _stem_groups(title)
    if not wanted:
        return []
    context = set().union(*_stem_groups(text)) if text else set()
    scored = []
    candidates = (Project.objects.filter(mairie=mairie, published_at__isnull=False, is_hidden=False)
                  .exclude(status=Status.DRAFT).exclude(pk=exclude_pk).only("pk", "title", "summary", "mairie"))
    for project in candidates[:500]:
        theirs = set().union(*_stem_groups(f"{project.title} {project.summary}"))
        share = sum(1 for group in wanted if group & theirs) / len(wanted)
        if share >= SIMILAR_SHARE:
            scored.append((-share, -len(context & theirs), -project.pk, project))
    scored.sort(key=lambda row: row[:3])
    return [row[3] for row in scored[:limit]]
