"""Reads of the wiki, with its visibility rule: agents (and editors, organisers) of any mairie see
every live bricolage that moderation has not hidden; nobody else sees any."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Avg,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.http import Http404
from wagtail.models import Revision

from cms.cache import remember
from cms.mairies import attach_mairie
from cms.models import Mairie

from . import conf, permissions
from .models import BricolagePage, BricolageTool, Feedback, Rating, TaggedBricolage, Tool

SORTS = ("note", "recent", "adoption")
DEFAULT_MEAN = 3.0  # the prior mean before anybody has rated anything


def live_bricolages():
    return BricolagePage.objects.live().filter(is_hidden=False)


def visible_bricolages(user):
    if not permissions.user_can_view_bricolages(user):
        return BricolagePage.objects.none()
    return live_bricolages()


def get_bricolage(user, pk, *, related=("author", "variant_of")) -> BricolagePage:
    """The bricolage if `user` may see it: 403 for anyone outside the agents, 404 if unknown/hidden.
    `related`: the relations to join (the page view joins none: its parts that show them are shared
    fragments, and a join of the page tables costs PostgreSQL more to plan than to run)."""
    if not permissions.user_can_view_bricolages(user):
        raise PermissionDenied
    queryset = BricolagePage.objects.filter(pk=pk)
    bricolage = (queryset.select_related(*related) if related else queryset).first()  # (no argument: every relation)
    if bricolage is None or not permissions.user_can_view_bricolage(user, attach_mairie(bricolage)):
        raise Http404
    return bricolage


# --- ratings: the Bayesian average -----------------------------------------------------------


def global_mean_rating() -> float:
    """m: the mean of every rating on every visible bricolage (3.0 before the first rating).
    A scan of every rating: shared by every request for as long as a cached page (cms.cache)."""
    def compute():
        mean = Rating.objects.filter(bricolage__in=live_bricolages()).aggregate(m=Avg("stars"))["m"]
        return float(mean) if mean is not None else DEFAULT_MEAN

    return remember("bricolages:global-mean-rating", compute)


def bayesian_score(total: float, count: int, *, mean: float, weight: float) -> float:
    """score = (C * m + sum of the stars) / (C + n)

    with n the bricolage's number of ratings, m the global mean rating and C the prior weight
    (BRICOLAGES_RATING_PRIOR_WEIGHT, default 5): every bricolage starts as if it had C ratings
    equal to the mean, so one 5-star rating (score (5*m+5)/6) does not outrank forty 4.5s
    (score (5*m+180)/45)."""
    return (weight * mean + total) / (weight + count)


def with_stats(queryset, *, mean=None):
    """Annotate rating_count, rating_sum, rating_avg, score (Bayesian), adoption_count (mairies
    where it is in use) and variants_count, each one subquery."""
    mean = global_mean_rating() if mean is None else mean
    weight = conf.rating_prior_weight()
    ratings = Rating.objects.filter(bricolage=OuterRef("pk")).order_by().values("bricolage")
    in_use = (Feedback.objects.filter(bricolage=OuterRef("pk"), outcome__in=Feedback.IN_USE).order_by()
              .values("bricolage"))
    variants = live_bricolages().filter(variant_of=OuterRef("pk")).order_by().values("variant_of")
    queryset = queryset.annotate(
        rating_count=Coalesce(Subquery(ratings.annotate(n=Count("id")).values("n")[:1]), 0),
        rating_sum=Coalesce(Subquery(ratings.annotate(s=Sum("stars")).values("s")[:1]), 0),
        adoption_count=Coalesce(Subquery(in_use.annotate(n=Count("mairie", distinct=True)).values("n")[:1]), 0),
        variants_count=Coalesce(Subquery(variants.annotate(n=Count("id")).values("n")[:1]), 0),
    )
    return queryset.annotate(
        rating_avg=ExpressionWrapper(Cast(F("rating_sum"), FloatField()) / NullIf(Cast(F("rating_count"), FloatField()), 0.0),
                                     output_field=FloatField()),
        score=ExpressionWrapper(
            (Value(weight * mean, output_field=FloatField()) + Cast(F("rating_sum"), FloatField()))
            / (Value(weight, output_field=FloatField()) + Cast(F("rating_count"), FloatField())),
            output_field=FloatField(),
        ),
    )


@dataclass
class Filters:
    tag: str = ""
    mairie: str = ""
    tool: str = ""
    sort: str = "note"
    q: str = ""


def bricolage_list(user, filters: Filters | None = None):
    """The list an agent browses: filtered by tag, mairie of origin, tool; sorted by Bayesian
    rating, recency or adoption (number of mairies using it)."""
    filters = filters or Filters()
    queryset = visible_bricolages(user).select_related("author", "mairie")
    if filters.tag:
        queryset = queryset.filter(Q(tagged_items__tag__slug=filters.tag) | Q(tagged_items__tag__name__iexact=filters.tag))
    if filters.tool:
        queryset = queryset.filter(Q(tool_items__tag__slug=filters.tool) | Q(tool_items__tag__name__iexact=filters.tool))
    if filters.mairie:
        queryset = queryset.filter(mairie__slug=filters.mairie)
    if filters.q:
        words = filters.q.split()[:8]
        for word in words:
            queryset = queryset.filter(Q(title__icontains=word) | Q(summary__icontains=word)
                                       | Q(problem__icontains=word) | Q(materials__icontains=word))
    queryset = with_stats(queryset.distinct())
    order = {
        "recent": ["-first_published_at", "-pk"],
        "adoption": ["-adoption_count", "-score", "-first_published_at", "-pk"],
    }.get(filters.sort, ["-score", "-rating_count", "-first_published_at", "-pk"])
    return with_tags(queryset.order_by(*order))


def with_tags(queryset):
    """Each bricolage's tags and tools, in one query each with their names: read them through
    `tagged_items` and `tool_items` (`tags.all()` would query again for every bricolage)."""
    return queryset.prefetch_related(
        Prefetch("tagged_items", queryset=TaggedBricolage.objects.select_related("tag")),
        Prefetch("tool_items", queryset=BricolageTool.objects.select_related("tag")))


def stats_for(bricolage):
    """The same annotations as the list, for one bricolage."""
    return with_stats(BricolagePage.objects.filter(pk=bricolage.pk)).values(
        "rating_count", "rating_sum", "score", "adoption_count", "variants_count").first() or {}


def rating_summary(bricolage) -> dict:
    """Count, average and Bayesian score of one bricolage's ratings (the list's formula, in one
    small aggregate rather than the list's annotations)."""
    totals = Rating.objects.filter(bricolage=bricolage).aggregate(n=Count("id"), total=Sum("stars"))
    count, total = totals["n"] or 0, totals["total"] or 0
    score = bayesian_score(total, count, mean=global_mean_rating(), weight=conf.rating_prior_weight())
    return {
        "count": count,
        "average": round(total / count, 2) if count else None,
        "score": round(score, 3),
    }


def user_rating(user, bricolage):
    if not getattr(user, "is_authenticated", False):
        return None
    return Rating.objects.filter(bricolage=bricolage, user=user).first()


def ratings_for(bricolage):
    """Ratings, newest first, each marked `used` when its author recorded feedback (used the tool)."""
    users_with_feedback = set(Feedback.objects.filter(bricolage=bricolage).values_list("author_id", flat=True))
    ratings = list(Rating.objects.filter(bricolage=bricolage).select_related("user", "user__mairie")
                   .order_by("-updated_at", "-id"))
    for rating in ratings:
        rating.used = rating.user_id in users_with_feedback
    return ratings


# --- feedback and adoption -------------------------------------------------------------------


def feedback_for(bricolage):
    return Feedback.objects.filter(bricolage=bricolage).select_related("author", "mairie")


def user_feedback(user, bricolage):
    if not getattr(user, "is_authenticated", False):
        return None
    return Feedback.objects.filter(bricolage=bricolage, author=user).first()


def adoption(bricolage) -> list[dict]:
    """The mairies where the bricolage is in use (a retour that says it works, even partly), with how
    many agents said so there."""
    rows = (Feedback.objects.filter(bricolage=bricolage, outcome__in=Feedback.IN_USE).values("mairie")
            .annotate(agents=Count("author", distinct=True)).order_by("mairie"))
    mairies = Mairie.objects.in_bulk([row["mairie"] for row in rows])
    result = [{"mairie": mairies[row["mairie"]], "agents": row["agents"]} for row in rows]
    return sorted(result, key=lambda row: row["mairie"].arrondissement)


# --- variants: the family tree ---------------------------------------------------------------


@dataclass
class FamilyNode:
    bricolage: BricolagePage
    children: list["FamilyNode"] = field(default_factory=list)
    current: bool = False


def ancestors(bricolage) -> list[BricolagePage]:
    """From the original down to the direct parent (visible ones only; a cycle cannot loop)."""
    chain, seen, parent_id = [], {bricolage.pk}, bricolage.variant_of_id
    while parent_id and parent_id not in seen:
        seen.add(parent_id)
        parent = live_bricolages().filter(pk=parent_id).select_related("author", "mairie").first()
        if parent is None:
            break
        chain.append(parent)
        parent_id = parent.variant_of_id
    return list(reversed(chain))


def variants(bricolage):
    return live_bricolages().filter(variant_of=bricolage).select_related("author", "mairie").order_by(
        "first_published_at", "pk")


def family_tree(bricolage) -> tuple[FamilyNode, int]:
    """The whole family of a bricolage: from its oldest visible ancestor, every variant at every
    depth (one query per generation). Returns the root node and the family's size."""
    chain = ancestors(bricolage)
    root = FamilyNode(chain[0] if chain else bricolage)
    nodes = {root.bricolage.pk: root}
    generation = [root]
    while generation:
        children = (live_bricolages().filter(variant_of__in=[node.bricolage.pk for node in generation])
                    .exclude(pk__in=list(nodes)).select_related("author", "mairie").order_by("first_published_at", "pk"))
        next_generation = []
        for child in children:
            node = FamilyNode(child)
            nodes[child.pk] = node
            nodes[child.variant_of_id].children.append(node)
            next_generation.append(node)
        generation = next_generation
    if bricolage.pk in nodes:
        nodes[bricolage.pk].current = True
    return root, len(nodes)


def related(bricolage, limit=4):
    """Suggestions: bricolages sharing the most tags or tools, then the close family (parent, variants)."""
    tag_ids = list(bricolage.tagged_items.values_list("tag_id", flat=True))
    tool_ids = list(bricolage.tool_items.values_list("tag_id", flat=True))
    family_ids = {bricolage.variant_of_id, *variants(bricolage).values_list("pk", flat=True)} - {None}
    shared = (live_bricolages().exclude(pk=bricolage.pk)
              .annotate(shared=Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids), distinct=True)
                        + Count("tool_items", filter=Q(tool_items__tag_id__in=tool_ids), distinct=True))
              .filter(Q(shared__gt=0) | Q(pk__in=family_ids))
              .select_related("author", "mairie").order_by("-shared", "-first_published_at", "-pk"))
    return list(shared[:limit])


# --- history ---------------------------------------------------------------------------------


def revisions(bricolage):
    """Every saved version, newest first, with its change note when saved through the wiki."""
    return (bricolage.revisions.select_related("user", "bricolage_change", "bricolage_change__mairie",
                                               "bricolage_change__restored_from")
            .order_by("-created_at", "-id"))


def get_revision(bricolage, revision_id) -> Revision:
    revision = bricolage.revisions.filter(pk=revision_id).select_related("user").first()
    if revision is None:
        raise Http404
    return revision


def contributors(bricolage):
    """Everyone who saved a version, first contribution first."""
    seen, people = set(), []
    for revision in bricolage.revisions.select_related("user").order_by("created_at", "id"):
        if revision.user_id and revision.user_id not in seen:
            seen.add(revision.user_id)
            people.append(revision.user)
    return people


# --- vocabularies for the filters ------------------------------------------------------------


def tag_choices():
    from taggit.models import Tag

    return (Tag.objects.filter(bricolages_taggedbricolage_items__content_object__in=live_bricolages())
            .annotate(uses=Count("bricolages_taggedbricolage_items", distinct=True)).order_by("name"))


def tool_choices():
    return (Tool.objects.filter(bricolage_items__content_object__in=live_bricolages())
            .annotate(uses=Count("bricolage_items", distinct=True)).order_by("name"))


def mairie_choices():
    return Mairie.objects.filter(pk__in=live_bricolages().values("mairie")).order_by("arrondissement")
