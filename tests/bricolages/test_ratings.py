"""Ratings: 1 to 5 whole stars, one per agent, changeable, never one's own; the Bayesian ranking."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bricolages import selectors, services
from bricolages.models import Rating
from bricolages.selectors import Filters
from cms.errors import NotAllowed
from tests.concurrency import race
from tests.factories import agent
from tests.factories.bricolages import bricolage


@pytest.mark.parametrize("stars", [0, 6, 3.5, "4", "trois", None, True, -1])
def test_a_rating_outside_whole_1_to_5_is_refused(queue_tool, agent20, stars):
    with pytest.raises(ValidationError, match="entier d'étoiles, de 1 à 5"):
        services.rating_set(user=agent20, bricolage=queue_tool, stars=stars)
    assert not Rating.objects.exists()


def test_rating_ones_own_bricolage_is_refused(queue_tool, agent19):
    with pytest.raises(NotAllowed, match="votre propre bricolage"):
        services.rating_set(user=agent19, bricolage=queue_tool, stars=5)
    assert not Rating.objects.exists()


def test_one_rating_per_agent_changeable_and_removable(queue_tool, agent20):
    services.rating_set(user=agent20, bricolage=queue_tool, stars=2)
    services.rating_set(user=agent20, bricolage=queue_tool, stars=4)
    assert list(Rating.objects.values_list("stars", flat=True)) == [4]
    assert services.rating_remove(user=agent20, bricolage=queue_tool) is True
    assert not Rating.objects.exists()
    assert services.rating_remove(user=agent20, bricolage=queue_tool) is False


def test_the_database_refuses_a_second_rating_and_out_of_range_stars(queue_tool, agent20):
    Rating.objects.create(bricolage=queue_tool, user=agent20, stars=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(bricolage=queue_tool, user=agent20, stars=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.filter(user=agent20).update(stars=9)


def test_a_rating_from_an_agent_who_used_the_tool_is_marked(queue_tool, agent20, mairie19):
    other = agent(mairie19, username="agent19b")
    services.rating_set(user=agent20, bricolage=queue_tool, stars=5)
    services.rating_set(user=other, bricolage=queue_tool, stars=3)
    services.feedback_record(user=agent20, bricolage=queue_tool, outcome="worked", note="Adopté.")
    marks = {r.user_id: r.used for r in selectors.ratings_for(queue_tool)}
    assert marks == {agent20.pk: True, other.pk: False}


def test_the_page_summary_gives_average_count_and_score(queue_tool, agent20, mairie19, settings):
    settings.BRICOLAGES_RATING_PRIOR_WEIGHT = 5
    services.rating_set(user=agent20, bricolage=queue_tool, stars=5)
    services.rating_set(user=agent(mairie19, username="a2"), bricolage=queue_tool, stars=2)
    summary = selectors.rating_summary(queue_tool)
    assert summary["count"] == 2 and summary["average"] == 3.5
    # m = 3.5 (the only ratings), C = 5: (5*3.5 + 7) / (5 + 2) = 3.5
    assert summary["score"] == pytest.approx(3.5)


def test_bayesian_score_formula():
    assert selectors.bayesian_score(5, 1, mean=4.0, weight=5) == pytest.approx((5 * 4 + 5) / 6)
    assert selectors.bayesian_score(0, 0, mean=3.2, weight=5) == pytest.approx(3.2)


def test_one_five_star_rating_does_not_outrank_forty_four_and_a_half(mairie19, mairie20, settings):
    settings.BRICOLAGES_RATING_PRIOR_WEIGHT = 5
    author = agent(mairie19, username="auteur")
    lone = bricolage(author, title="Une seule note de 5")
    crowd = bricolage(author, title="Quarante notes de 4,5")
    ordinary = bricolage(author, title="Des notes de 3")
    unrated = bricolage(author, title="Pas encore noté")
    raters = [agent(mairie20 if i % 2 else mairie19, username=f"votant{i}") for i in range(40)]
    services.rating_set(user=raters[0], bricolage=lone, stars=5)
    for i, rater in enumerate(raters):  # twenty 5s and twenty 4s: an average of 4.5
        services.rating_set(user=rater, bricolage=crowd, stars=5 if i % 2 else 4)
    for rater in raters[:30]:
        services.rating_set(user=rater, bricolage=ordinary, stars=3)
    ranked = list(selectors.bricolage_list(raters[0], Filters(sort="note")))
    mean = (5 + 20 * 5 + 20 * 4 + 30 * 3) / 71
    assert selectors.global_mean_rating() == pytest.approx(mean)
    assert [b.title for b in ranked] == ["Quarante notes de 4,5", "Une seule note de 5", "Pas encore noté",
                                         "Des notes de 3"]
    scores = {b.title: b.score for b in ranked}
    assert scores["Une seule note de 5"] == pytest.approx((5 * mean + 5) / 6)
    assert scores["Quarante notes de 4,5"] == pytest.approx((5 * mean + 180) / 45)
    assert scores["Pas encore noté"] == pytest.approx(mean)
    # The plain average would have put the lone 5 first.
    assert ranked[1].rating_avg > ranked[0].rating_avg
    assert unrated.pk and lone.pk and crowd.pk and ordinary.pk


def test_list_sorts_by_adoption_and_recency_and_filters(mairie19, mairie20, agent19, agent20):
    old = bricolage(agent19, title="Ancien", tags=["accueil"], tools=["Tableur"])
    new = bricolage(agent20, title="Nouveau", tags=["salles"], tools=["Boîte à clés"])
    services.feedback_record(user=agent20, bricolage=old, outcome="worked", note="Adopté.")
    services.feedback_record(user=agent19, bricolage=old, outcome="worked", note="Adopté.")
    assert [b.title for b in selectors.bricolage_list(agent19, Filters(sort="adoption"))] == ["Ancien", "Nouveau"]
    assert [b.title for b in selectors.bricolage_list(agent19, Filters(sort="recent"))] == ["Nouveau", "Ancien"]
    assert [b.title for b in selectors.bricolage_list(agent19, Filters(tag="salles"))] == ["Nouveau"]
    assert [b.title for b in selectors.bricolage_list(agent19, Filters(tool="tableur"))] == ["Ancien"]
    assert [b.title for b in selectors.bricolage_list(agent19, Filters(mairie="paris20"))] == ["Nouveau"]
    assert [b.title for b in selectors.bricolage_list(agent19, Filters(q="nouv"))] == ["Nouveau"]
    assert new.pk


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_ratings_by_one_agent_leave_one_row(site_ctx):
    author = agent(site_ctx.mairies["paris19"], username="auteur-concurrent")
    rater = agent(site_ctx.mairies["paris20"], username="votant-concurrent")
    target = bricolage(author)
    results = race([lambda n=n: services.rating_set(user=rater, bricolage=target, stars=n) for n in (2, 3, 4, 5)])
    assert [r for r in results if isinstance(r, Exception)] == []
    assert Rating.objects.filter(bricolage=target, user=rater).count() == 1
