"""What logged-in pages share, and what they never share: values and fragments kept with the page
cache (cms.cache.remember, {% shared_fragment %}), the mairie directory (cms.mairies), the route
table (cms.routing), the search results; and reads without a transaction (cms.transactions)."""

import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from cms.cache import invalidate_all, remember
from cms.mairies import mairie_for_page, mairie_for_request
from cms.models import StandardPage
from participation.models import Support
from tests.conftest import HOST19, client_as
from tests.factories import agent, resident
from tests.factories import occupai as f

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def call(site_ctx, mairie19):
    index = f.index_page(site_ctx.homes["paris19"])
    call = f.call_page(index, phase="voting", title="L'été de la mairie")
    return call, [f.proposal(call, title=f"Proposition {n}") for n in range(3)]


# --- remember ------------------------------------------------------------------------------------


def test_remember_computes_once_until_the_version_changes(page_cache):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert remember("k", compute) == remember("k", compute) == 1
    invalidate_all()
    assert remember("k", compute) == 2


def test_remember_computes_every_time_when_the_page_cache_is_off(db):
    calls = []
    remember("k", lambda: calls.append(1))
    remember("k", lambda: calls.append(1))
    assert len(calls) == 2


# --- shared fragments ---------------------------------------------------------------------------


def _render(request, text, **context):
    return Template("{% load fragments %}" + text).render(Context({"request": request, **context}))


def test_a_fragment_is_rendered_once_for_everyone_with_the_same_key(page_cache, resident19, mairie19):
    request = RequestFactory().get("/page/")
    request.user = resident19
    template = '{% shared_fragment "f" n %}{{ value }}{% endshared_fragment %}'
    assert _render(request, template, n=1, value="first") == "first"
    assert _render(request, template, n=1, value="second") == "first"  # from the cache
    assert _render(request, template, n=2, value="second") == "second"  # another key
    other = RequestFactory().get("/page/?tri=titre")  # another query string: another key
    other.user = resident19
    assert _render(other, template, n=1, value="third") == "third"


def test_a_fragment_never_holds_a_csrf_token_and_gives_each_visitor_their_own(page_cache, resident19):
    template = '{% shared_fragment "form" %}<form>{% csrf_token %}</form>{% endshared_fragment %}'
    first, second = RequestFactory().get("/f/"), RequestFactory().get("/f/")
    first.user = second.user = resident19
    html_first = _render(first, template, csrf_token="tokenofthefirstvisitor")
    html_second = _render(second, template, csrf_token="tokenofthesecondvisitor")
    assert "tokenofthefirstvisitor" in html_first and "tokenofthesecondvisitor" in html_second
    assert "tokenofthefirstvisitor" not in html_second
    stored = [v for v in page_cache._cache.values()]
    assert stored and not any(b"tokenofthe" in v for v in stored)


def test_a_fragment_is_not_shared_between_anonymous_and_logged_in_visitors(page_cache, resident19):
    from django.contrib.auth.models import AnonymousUser

    template = '{% shared_fragment "who" %}{{ who }}{% endshared_fragment %}'
    logged_in, anonymous = RequestFactory().get("/x/"), RequestFactory().get("/x/")
    logged_in.user, anonymous.user = resident19, AnonymousUser()
    assert _render(logged_in, template, who="logged in") == "logged in"
    assert _render(anonymous, template, who="anonymous") == "anonymous"


def test_a_preview_is_never_shared(page_cache, resident19):
    template = '{% shared_fragment "p" %}{{ value }}{% endshared_fragment %}'
    live = RequestFactory().get("/p/")
    live.user = resident19
    assert _render(live, template, value="live") == "live"
    preview = RequestFactory().get("/p/")
    preview.user, preview.is_preview = resident19, True
    assert _render(preview, template, value="draft") == "draft"
    assert _render(live, template, value="other") == "live"


def test_the_call_page_shares_its_cards_but_each_voter_sees_their_own_votes(page_cache, call, mairie19):
    call_page, proposals = call
    alice, bob = resident(mairie19, username="alice"), resident(mairie19, username="bob")
    alice_client, bob_client = client_as(alice), client_as(bob)
    alice_client.post("/participer/soutenir/", {"target": proposals[0].target_ref})
    alice_html = alice_client.get(call_page.site_path).content.decode()
    bob_html = bob_client.get(call_page.site_path).content.decode()
    assert alice_html.count("Retirer mon soutien") == 1 and "Il vous reste 2 soutiens sur 3." in alice_html
    assert "Retirer mon soutien" not in bob_html and "Il vous reste 3 soutiens sur 3." in bob_html
    # Bob votes from the page he was served: his own token works, and he now sees his vote.
    token = TOKEN.search(bob_html).group(1)
    assert token != TOKEN.search(alice_html).group(1)
    bob_client.post("/participer/soutenir/", {"target": proposals[1].target_ref, "csrfmiddlewaretoken": token})
    assert Support.objects.filter(user=bob).count() == 1
    assert "Retirer mon soutien" in bob_client.get(call_page.site_path).content.decode()


def test_a_second_render_of_the_call_page_costs_fewer_queries(page_cache, call, resident19):
    call_page, _proposals = call
    client = client_as(resident19)
    with CaptureQueriesContext(connection) as first:
        client.get(call_page.site_path)
    with CaptureQueriesContext(connection) as second:
        client.get(call_page.site_path)
    assert len(second) < len(first)

    def card_queries(captured):  # the proposals with their authors, for the cards
        return [q for q in captured.captured_queries if '"occupai_proposal"."description"' in q["sql"]
                and 'JOIN "cms_user"' in q["sql"]]

    assert len(card_queries(first)) == 1 and not card_queries(second)


# --- the mairie directory and the route table ---------------------------------------------------


def test_the_mairie_comes_from_the_directory_and_an_edit_shows_at_once(page_cache, client19, mairie19):
    client19.get("/")
    request = RequestFactory().get("/", HTTP_HOST=HOST19)
    with CaptureQueriesContext(connection) as queries:
        assert mairie_for_request(request) == mairie19
    assert len(queries) == 0
    mairie19.name = "Mairie du 19e, renommée"
    mairie19.save()
    assert "Mairie du 19e, renommée" in client19.get("/").content.decode()


def test_mairie_for_page_is_the_mairie_of_the_site_holding_the_page(page_cache, site_ctx, mairie19, mairie20):
    assert mairie_for_page(site_ctx.homes["paris19"]) == mairie19
    assert mairie_for_page(site_ctx.homes["paris20"]) == mairie20


def test_routing_from_the_table_follows_publish_unpublish_and_moves(page_cache, client19, site_ctx):
    home = site_ctx.homes["paris19"]
    assert client19.get("/nouvelle-page/").status_code == 404
    page = home.add_child(instance=StandardPage(title="Nouvelle page", slug="nouvelle-page"))
    page.save_revision().publish()
    assert client19.get("/nouvelle-page/").status_code == 200
    child = page.add_child(instance=StandardPage(title="Sous-page", slug="sous-page"))
    child.save_revision().publish()
    assert client19.get("/nouvelle-page/sous-page/").status_code == 200
    assert client19.get("/nouvelle-page/sous-page/inconnue/").status_code == 404
    child.unpublish()
    assert client19.get("/nouvelle-page/sous-page/").status_code == 404
    child.save_revision().publish()
    other = home.add_child(instance=StandardPage(title="Autre", slug="autre"))
    other.save_revision().publish()
    child.move(other, pos="last-child")
    assert client19.get("/autre/sous-page/").status_code == 200
    moved = client19.get("/nouvelle-page/sous-page/")  # Wagtail's automatic redirect to the new place
    assert moved.status_code == 301 and moved["Location"].endswith("/autre/sous-page/")


def test_routable_sub_routes_still_work_through_the_table(page_cache, call, client19):
    call_page, proposals = call
    assert client19.get(call_page.subpath("proposal", proposals[0].pk)).status_code == 200
    assert client19.get(call_page.site_path + "inconnu/").status_code == 404


def test_a_view_restriction_applies_at_once_and_pages_without_any_skip_the_check(page_cache, site_ctx, resident19):
    from wagtail.models import PageViewRestriction

    home = site_ctx.homes["paris19"]
    page = home.add_child(instance=StandardPage(title="Réservée", slug="reservee"))
    page.save_revision().publish()
    client = client_as(resident19)
    client.get("/reservee/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/reservee/").status_code == 200
    assert not any("wagtailcore_pageviewrestriction" in q["sql"] for q in queries.captured_queries)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    anonymous = Client(HTTP_HOST=HOST19)
    response = anonymous.get("/reservee/")
    assert response.status_code == 302 and "reservee" in response["Location"]  # to the login page, and back
    assert client.get("/reservee/").status_code == 200  # logged in: allowed


# --- search results ---------------------------------------------------------------------------


def test_search_results_are_shared_only_by_visitors_who_see_the_same_documents(page_cache, mairie19):
    from search import services as search_services
    from search.documents import AGENTS
    from tests.factories.search import search_doc

    search_services.document_index(documents=[
        search_doc("Atelier compost", "Au jardin partagé.", key="public"),
        search_doc("Compost interne", "Le bac des agents.", key="agents", mairie=None, audience=AGENTS)])
    resident_client, agent_client = client_as(resident(mairie19)), client_as(agent(mairie19))
    for _ in range(2):  # the second time from the cache
        assert '"/test/agents/"' not in resident_client.get("/recherche/?q=compost").content.decode()
        assert '"/test/agents/"' in agent_client.get("/recherche/?q=compost").content.decode()


# --- reads without a transaction ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_reads_run_without_a_transaction_and_writes_in_one(site_ctx, call):
    call_page, proposals = call
    voter = resident(site_ctx.mairies["paris19"], username="voter")
    client = client_as(voter)
    seen = []

    def record(execute, sql, params, many, context):
        seen.append(connection.in_atomic_block)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert client.get(call_page.site_path).status_code == 200
    assert seen and not any(seen)
    seen.clear()
    writes = []

    def record_writes(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(connection.in_atomic_block)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record_writes):
        client.post("/participer/soutenir/", {"target": proposals[0].target_ref})
    assert writes and all(writes)
    assert Support.objects.filter(user=voter).count() == 1


# --- the discussion -----------------------------------------------------------------------------


def test_a_discussion_is_shared_yet_new_comments_show_at_once_and_nobody_may_report_their_own(page_cache, call,
                                                                                                 mairie19):
    from participation.services import comment_post

    call_page, proposals = call
    path = call_page.subpath("proposal", proposals[0].pk)
    alice, bob, carol = (resident(mairie19, username=name) for name in ("alice", "bob", "carol"))
    clients = {user.username: client_as(user) for user in (alice, bob, carol)}

    def page(name):
        return clients[name].get(path).content.decode()

    comment_post(user=alice, target=proposals[0], text="Une idée formidable pour la rue.")
    for name in ("bob", "carol", "bob"):  # the third from the shared fragment
        body = page(name)
        assert "Une idée formidable pour la rue." in body and body.count("Signaler ce commentaire") == 1
    assert "Signaler ce commentaire" not in page("alice")  # her own comment
    comment_post(user=bob, target=proposals[0], text="Je viendrai avec mes voisins.")
    body = page("alice")  # at once, though her last view was kept
    assert "Je viendrai avec mes voisins." in body and body.count("Signaler ce commentaire") == 1
    assert page("carol").count("Signaler ce commentaire") == 2
    assert page("bob").count("Signaler ce commentaire") == 1


def test_a_fragment_marked_unless_is_rendered_for_that_request_alone(page_cache, resident19):
    template = '{% shared_fragment "form" unless=bound %}{{ value }}{% endshared_fragment %}'
    request = RequestFactory().get("/f/")
    request.user = resident19
    assert _render(request, template, bound=True, value="typed by one") == "typed by one"
    assert _render(request, template, bound=True, value="typed by another") == "typed by another"
    assert _render(request, template, bound=False, value="blank") == "blank"
    assert _render(request, template, bound=False, value="other") == "blank"


def test_each_agent_sees_their_own_rating_and_feedback_in_the_shared_bricolage_forms(page_cache, site_ctx):
    from bricolages import services as bricolage_services
    from bricolages.services import StepInput
    from tests.factories.bricolages import bricolage

    author, first, second = (agent(site_ctx.mairies["paris19"], username=name) for name in ("auteur", "une", "deux"))
    tool = bricolage(author, title="Planning des permanences", steps=[StepInput(text="Ouvrir le tableau.")])
    bricolage_services.rating_set(user=first, bricolage=tool, stars=4)
    bricolage_services.feedback_record(user=first, bricolage=tool, outcome="worked", note="En service à l'accueil.")
    pages = {}
    for name, user in (("first", first), ("second", second), ("first again", first)):
        pages[name] = client_as(user).get(f"/bricolages/{tool.pk}/").content.decode()
    for body in (pages["first"], pages["first again"]):
        assert "Votre note : 4 sur 5" in body and re.search(r'value="4"[^>]*checked', body)
        assert "Mettre à jour mon retour" in body and "En service à l&#x27;accueil." in body
    assert "Votre note : 4 sur 5" not in pages["second"] and not re.search(r'value="4"[^>]*checked', pages["second"])
    assert "Vous l'avez mis en place dans votre mairie ?" in pages["second"]
    assert pages["second"].count("En service à l&#x27;accueil.") == 1  # in the shared list of feedback only
