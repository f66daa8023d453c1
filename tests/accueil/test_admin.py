"""The Wagtail admin of the hall (services, hours, counters, co-working spaces): each mairie's organisers
manage their own, another mairie's object is not found (404), agents and editors may not (403), and the
forms offer the user's own mairie only. Same conventions as tests/security/test_admin_matrix.py."""

import pytest
from django.test import Client

from accueil.models import Counter, CoworkingSpace, OpeningHours, Service
from tests.conftest import built_once_per_module
from tests.factories.demo import seed_demo
from tests.security.test_admin_matrix import observe

pytestmark = pytest.mark.django_db

ACCUEIL = """
# mairie action                                      method anon  r19   ag19  ed19  or19  r20   ag20  ed20  or20
19 snippets/accueil/coworkingspace/                   GET    302   302   403   403   200   302   403   403   200
19 snippets/accueil/coworkingspace/add/               GET    302   302   403   403   200   302   403   403   200
19 snippets/accueil/coworkingspace/edit/{cowork}/     GET    302   302   403   403   200   302   404   404   404
20 snippets/accueil/coworkingspace/edit/{cowork}/     GET    302   302   404   404   404   302   403   403   200
19 snippets/accueil/coworkingspace/edit/{cowork}/     POST   302   302   403   403   200   302   404   404   404
19 snippets/accueil/coworkingspace/delete/{cowork}/   GET    302   302   403   403   200   302   404   404   404
20 snippets/accueil/coworkingspace/delete/{cowork}/   GET    302   302   404   404   404   302   403   403   200
19 snippets/accueil/service/                          GET    302   302   403   403   200   302   403   403   200
19 snippets/accueil/service/edit/{service}/           GET    302   302   403   403   200   302   404   404   404
20 snippets/accueil/service/edit/{service}/           GET    302   302   404   404   404   302   403   403   200
19 snippets/accueil/openinghours/edit/{hours}/        GET    302   302   403   403   200   302   404   404   404
20 snippets/accueil/openinghours/edit/{hours}/        GET    302   302   404   404   404   302   403   403   200
19 snippets/accueil/counter/edit/{counter}/           GET    302   302   403   403   200   302   404   404   404
20 snippets/accueil/counter/edit/{counter}/           GET    302   302   404   404   404   302   403   403   200
19 snippets/accueil/counter/delete/{counter}/         GET    302   302   403   403   200   302   404   404   404
"""


def _demo():
    ctx = seed_demo(only=("occupai", "accueil"))
    objects = {}
    for slug, key in (("paris19", "19"), ("paris20", "20")):
        mairie = ctx.mairies[slug]
        objects[key] = {"cowork": CoworkingSpace.objects.filter(mairie=mairie).order_by("pk").first().pk,
                        "service": Service.objects.filter(mairie=mairie).first().pk,
                        "hours": OpeningHours.objects.filter(service__mairie=mairie).first().pk,
                        "counter": Counter.objects.filter(mairie=mairie).first().pk}
    return ctx, objects


_built = built_once_per_module(_demo)  # once for the module: each test's writes go with its savepoint


@pytest.fixture
def demo(_built, db):
    return _built


def test_the_halls_snippets_answer_their_own_organisers_only(demo):
    assert observe(*demo, ACCUEIL) == []


def test_an_organiser_adds_a_coworking_space_in_their_own_mairie_only(demo):
    ctx, _objects = demo
    client = Client(HTTP_HOST="paris19.localhost")
    client.force_login(ctx.users["organisateur"])
    form = client.get("/admin/snippets/accueil/coworkingspace/add/")
    choices = form.context["form"].fields["mairie"].queryset
    assert list(choices) == [ctx.mairies["paris19"]]
    lent = form.context["form"].fields["occupai_space"].queryset
    assert lent.exists() and not lent.exclude(mairie=ctx.mairies["paris19"]).exists()
    data = {"mairie": ctx.mairies["paris20"].pk, "name": "Ailleurs", "capacity": 4, "weekdays": ["0", "2", "1"],
            "morning_opens": "09:00", "morning_closes": "12:30", "afternoon_opens": "13:30",
            "afternoon_closes": "18:00", "active": "on", "days-TOTAL_FORMS": 0, "days-INITIAL_FORMS": 0,
            "days-MIN_NUM_FORMS": 0, "days-MAX_NUM_FORMS": 1000}
    refused = client.post("/admin/snippets/accueil/coworkingspace/add/", data)
    assert refused.status_code == 200 and not CoworkingSpace.objects.filter(name="Ailleurs").exists()
    data["mairie"] = ctx.mairies["paris19"].pk
    data.update({"days-TOTAL_FORMS": 1, "days-0-date": "2026-12-15", "days-0-id": "", "days-0-ORDER": 0})
    done = client.post("/admin/snippets/accueil/coworkingspace/add/", data)
    assert done.status_code == 302, done.context["form"].errors if done.context else done
    space = CoworkingSpace.objects.get(name="Ailleurs")
    assert space.mairie == ctx.mairies["paris19"] and [str(d.date) for d in space.days.all()] == ["2026-12-15"]
    assert space.weekdays == "012"  # checkboxes, stored as digits
    edit = client.get(f"/admin/snippets/accueil/coworkingspace/edit/{space.pk}/")
    assert edit.context["form"]["weekdays"].value() == ["0", "1", "2"]


def test_coworking_spaces_and_services_are_searchable_without_bookings_or_invitations(demo):
    from django.contrib.auth.models import AnonymousUser

    from search import selectors as search_selectors
    from search import services as search_services
    from search.query import SearchQuery

    ctx, _objects = demo
    mairie = ctx.mairies["paris19"]
    from accueil.search import ADAPTERS

    docs = [a.document(obj) for a in ADAPTERS for obj in a.queryset().filter(mairie=mairie)]
    search_services.document_index(documents=[d for d in docs if d is not None])
    found = search_selectors.search_results(user=AnonymousUser(), mairie=mairie,
                                            query=SearchQuery.build(text="tiers-lieu"))
    assert [hit.id for hit in found.hits] == [f"accueil.coworking:{CoworkingSpace.objects.get(mairie=mairie, occupai_space=None).pk}"]
    civil = search_selectors.search_results(user=AnonymousUser(), mairie=mairie,
                                            query=SearchQuery.build(text="naissance"))
    assert any(hit.id.startswith("accueil.service:") for hit in civil.hits)
    text = " ".join(f"{d.title} {d.body}" for d in docs if d is not None)
    for secret in ("Nadia Benali", "asso-paris19", "Les Fabriques", "agent20"):
        assert secret not in text


def test_the_demo_has_coworking_in_both_mairies_and_lends_a_19e_room_on_tuesdays(demo):
    ctx, _objects = demo
    assert CoworkingSpace.objects.filter(mairie=ctx.mairies["paris20"], occupai_space__isnull=True).exists()
    lent = CoworkingSpace.objects.get(mairie=ctx.mairies["paris19"], occupai_space__isnull=False)
    days = [d.date for d in lent.days.all()]
    assert len(days) >= 4 and {d.weekday() for d in days} == {1}
