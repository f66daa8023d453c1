"""Les ambassadeurs: residents apply, organisers decide, the public sees profiles without contacts, a neighbour
asks for help in a private thread, contacts show only when both agree, and an ambassador acts for the
neighbour (a queue ticket, a carnet) only with the neighbour's recorded consent."""

import pytest

from accueil.ambassadeurs import services
from accueil.ambassadeurs.models import Ambassador, HelpConsent, HelpMessage, HelpRequest
from accueil.models import Ticket
from accueil.search import AmbassadorAdapter
from cms.errors import Conflict, NotAllowed
from cms.privacy import account_delete, export_user_data
from guide import demo as guide_demo
from guide.models import Carnet, DemarchePage
from participation.models import AuditEntry, Notification, Quartier
from tests.conftest import HOST20, api_as, built_once_per_module, client_as, core_demo
from tests.factories import organiser, resident

pytestmark = pytest.mark.django_db

_guide = built_once_per_module(lambda: guide_demo.seed(core_demo()))


def apply(user, mairie, **extra):
    return services.ambassador_apply(user=user, mairie=mairie, **{
        "public_name": "Mariam", "languages": "français, arabe", "help_with": "Lire un courrier avec vous.", **extra})


@pytest.fixture
def mariam(mairie19, organiser19):
    user = resident(mairie19, username="mariam-test", email="mariam@example.org")
    ambassador = apply(user, mairie19, quartier=Quartier.objects.create(mairie=mairie19, name="Combat", slug="combat"))
    return services.ambassador_decide(ambassador=ambassador, user=organiser19, accept=True)


@pytest.fixture
def awa(mairie19):
    return resident(mairie19, username="awa-test", email="awa@example.org")


@pytest.fixture
def thread(mariam, awa):
    return services.help_request_create(ambassador=mariam, user=awa, subject="Ma carte d'identité",
                                        message="Pouvez-vous m'aider ?")


def test_an_application_is_decided_by_the_mairies_organisers_and_the_profile_is_public_without_contacts(
        mairie19, organiser19, api19):
    user = resident(mairie19, username="candidat", email="candidat@example.org")
    created = api_as(user).post("/api/accueil/ambassadors/", {"public_name": "Julien", "languages": "français, anglais",
                                                               "help_with": "Prendre un rendez-vous."}, format="json")
    assert created.status_code == 201, created.json()
    assert api19.get("/api/accueil/ambassadors/").json() == []  # pending: not public
    pending = api_as(organiser19).get("/api/accueil/ambassadors/applications/").json()
    assert [a["public_name"] for a in pending] == ["Julien"]
    decided = api_as(organiser19).post(f"/api/accueil/ambassadors/{created.json()['id']}/decision/", {"accept": True},
                                       format="json")
    assert decided.status_code == 200 and decided.json()["status"] == "accepted"
    public = api19.get("/api/accueil/ambassadors/").json()
    assert [a["public_name"] for a in public] == ["Julien"]
    assert "candidat" not in str(public) and "example.org" not in str(public) and "motivation" not in public[0]
    assert Notification.objects.filter(user=user, verb="ambassador_accepted").exists()
    again = api_as(organiser19).post(f"/api/accueil/ambassadors/{created.json()['id']}/decision/", {"accept": False},
                                     format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_decided"


def test_who_may_apply_and_decide(mairie19, mairie20, organiser19, api19):
    user = resident(mairie19, username="candidate")
    assert api19.post("/api/accueil/ambassadors/", {}, format="json").status_code == 401
    unconfirmed = resident(mairie19, username="jetable", email_confirmed=False)
    refused = api_as(unconfirmed).post("/api/accueil/ambassadors/", {"public_name": "X", "languages": "fr",
                                                                     "help_with": "Tout."}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "unconfirmed"
    other_quartier = Quartier.objects.create(mairie=mairie20, name="Belleville", slug="belleville")
    bad = api_as(user).post("/api/accueil/ambassadors/", {"public_name": "Lina", "languages": "fr", "help_with": "Tout.",
                                                          "quartier": other_quartier.pk}, format="json")
    assert bad.status_code == 400 and "quartier" in bad.json()["errors"]
    assert not Ambassador.objects.exists()
    pending = apply(user, mairie19)
    with pytest.raises(Conflict):
        apply(user, mairie19)
    organiser20 = organiser(mairie20, username="orga20")
    for stranger in (organiser20, user, resident(mairie19, username="voisin")):
        answer = api_as(stranger).post(f"/api/accueil/ambassadors/{pending.pk}/decision/", {"accept": True},
                                       format="json")
        assert answer.status_code == 403
        with pytest.raises(NotAllowed):
            services.ambassador_decide(ambassador=pending, user=stranger, accept=True)
    assert api_as(organiser20, host=HOST20).post(f"/api/accueil/ambassadors/{pending.pk}/decision/",
                                                 {"accept": True}, format="json").status_code == 404  # not its own
    pending.refresh_from_db()
    assert pending.status == Ambassador.Status.APPLIED


def test_the_thread_is_its_two_peoples_only_and_contacts_show_when_both_agree(thread, mariam, awa, organiser19):
    for stranger in (organiser19, resident(mariam.mairie, username="curieux")):
        assert api_as(stranger).get(f"/api/accueil/help-requests/{thread.pk}/").status_code == 404
        assert client_as(stranger).get(f"/accueil/ambassadeurs/demandes/{thread.pk}/").status_code == 404
        assert api_as(stranger).post(f"/api/accueil/help-requests/{thread.pk}/messages/", {"body": "Coucou"},
                                     format="json").status_code == 404
    mine = api_as(awa).get(f"/api/accueil/help-requests/{thread.pk}/").json()
    assert mine["side"] == "neighbour" and mine["other_contact"] is None
    assert [m["author"] for m in mine["messages"]] == ["me"]
    page = client_as(mariam.user).get(f"/accueil/ambassadeurs/demandes/{thread.pk}/")
    assert page.status_code == 200 and "awa@example.org" not in page.content.decode()
    api_as(awa).post(f"/api/accueil/help-requests/{thread.pk}/contact/", {"share": True}, format="json")
    assert api_as(mariam.user).get(f"/api/accueil/help-requests/{thread.pk}/").json()["other_contact"] is None
    api_as(mariam.user).post(f"/api/accueil/help-requests/{thread.pk}/contact/", {"share": True}, format="json")
    assert api_as(mariam.user).get(f"/api/accueil/help-requests/{thread.pk}/").json()["other_contact"] == "awa@example.org"
    assert api_as(awa).get(f"/api/accueil/help-requests/{thread.pk}/").json()["other_contact"] == "mariam@example.org"
    note = Notification.objects.filter(user=mariam.user, verb="help_request").get()
    assert "awa@example.org" not in note.title + note.message


def test_a_ticket_is_taken_for_the_neighbour_only_with_their_consent(hall19, thread, mariam, awa):
    url = f"/api/accueil/help-requests/{thread.pk}/"
    act = {"kind": "ticket", "choice": hall19["etat-civil"].pk}
    refused = api_as(mariam.user).post(url + "acts/", act, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "no_consent"
    assert not Ticket.objects.exists()
    assert api_as(mariam.user).post(url + "consents/", {"kind": "ticket", "given": True},
                                    format="json").status_code == 403  # only the neighbour consents
    assert api_as(awa).post(url + "consents/", {"kind": "ticket", "given": True}, format="json").status_code == 200
    assert api_as(awa).post(url + "consents/", {"kind": "ticket", "given": True}, format="json").status_code == 409
    assert api_as(awa).post(url + "acts/", act, format="json").status_code == 403  # the neighbour does not "act"
    done = api_as(mariam.user).post(url + "acts/", act, format="json")
    assert done.status_code == 201, done.json()
    ticket = Ticket.objects.get()
    assert ticket.email == "awa@example.org" and ticket.service == hall19["etat-civil"]
    last = done.json()["messages"][-1]
    assert last["author"] == "platform" and last["link"] == f"/accueil/ticket/{ticket.token}/"
    assert AuditEntry.objects.filter(action="help_act", actor=mariam.user, label="ticket").exists()
    other = api_as(mariam.user).post(url + "acts/", {"kind": "ticket", "choice": 10**15}, format="json")
    assert other.status_code == 400 and Ticket.objects.count() == 1
    assert api_as(awa).post(url + "consents/", {"kind": "ticket", "given": False}, format="json").status_code == 200
    assert api_as(mariam.user).post(url + "acts/", act, format="json").status_code == 403
    assert Ticket.objects.count() == 1
    assert HelpConsent.objects.filter(request=thread).count() == 1  # kept, withdrawn


def test_a_carnet_opened_for_the_neighbour_is_theirs_and_the_ambassador_does_not_read_it(_guide, thread, mariam, awa):
    demarche = DemarchePage.objects.get(mairie=mariam.mairie, slug="inscription-creche")
    services.help_consent(help_request=thread, user=awa, kind="carnet", given=True)
    done = services.help_act(help_request=thread, user=mariam.user, kind="carnet", choice=str(demarche.pk))
    carnet = Carnet.objects.get(owner=awa)
    assert carnet.owner == awa and carnet.opened_by == mariam.user and carnet.items.exists()
    assert done.url == f"/carnets/{carnet.pk}/"
    assert client_as(awa).get(done.url).status_code == 200
    assert client_as(mariam.user).get(done.url).status_code == 404
    with pytest.raises(Conflict):
        services.help_act(help_request=thread, user=mariam.user, kind="carnet", choice=str(demarche.pk))
    assert Carnet.objects.filter(owner=awa).count() == 1


def test_bad_requests_are_refused_and_nothing_is_saved(mariam, awa, mairie19):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.help_request_create(ambassador=mariam, user=mariam.user, subject="Moi", message="Moi")
    with pytest.raises(ValidationError):
        services.help_request_create(ambassador=mariam, user=awa, subject="", message="x" * 5000)
    assert not HelpRequest.objects.exists()
    first = services.help_request_create(ambassador=mariam, user=awa, subject="Un", message="Un")
    with pytest.raises(Conflict):
        services.help_request_create(ambassador=mariam, user=awa, subject="Deux", message="Deux")
    for n in range(2):
        other = services.ambassador_decide(ambassador=apply(resident(mairie19, username=f"amb{n}"), mairie19),
                                           user=organiser(mairie19, username=f"orga{n}"), accept=True)
        services.help_request_create(ambassador=other, user=awa, subject=f"Demande {n}", message="Bonjour")
    fourth = apply(resident(mairie19, username="amb-quatre"), mairie19)
    services.ambassador_decide(ambassador=fourth, user=organiser(mairie19, username="orga-q"), accept=True)
    with pytest.raises(Conflict) as too_many:
        services.help_request_create(ambassador=fourth, user=awa, subject="Encore", message="Bonjour")
    assert too_many.value.code == "too_many_open"
    services.help_close(help_request=first, user=awa)
    with pytest.raises(Conflict):
        services.help_message_add(help_request=first, user=mariam.user, body="Trop tard")
    with pytest.raises(Conflict):
        services.help_close(help_request=first, user=mariam.user)


def test_an_ambassador_who_stops_leaves_the_list_and_their_open_requests_close(thread, mariam, awa, api19):
    services.help_consent(help_request=thread, user=awa, kind="ticket", given=True)
    with pytest.raises(NotAllowed):
        services.ambassador_stop(ambassador=mariam, user=awa)
    services.ambassador_stop(ambassador=mariam, user=mariam.user)
    assert api19.get("/api/accueil/ambassadors/").json() == []
    assert api19.get(f"/api/accueil/ambassadors/{mariam.pk}/").status_code == 404
    thread.refresh_from_db()
    assert not thread.is_open and not services.live_consents(thread)
    answer = api_as(awa).post("/api/accueil/help-requests/", {"ambassador": mariam.pk, "subject": "Encore",
                                                              "message": "Bonjour"}, format="json")
    assert answer.status_code == 404
    assert AmbassadorAdapter().document(Ambassador.objects.get(pk=mariam.pk)) is None


def test_the_search_document_holds_public_fields_only(mariam):
    doc = AmbassadorAdapter().document(mariam)
    assert doc.audience == "public" and doc.title == "Mariam"
    assert "mariam@example.org" not in f"{doc.title} {doc.body}" and "mariam-test" not in doc.body


def test_export_erasure_and_purge(thread, mariam, awa):
    from datetime import timedelta

    from django.utils import timezone

    data = export_user_data(awa)
    assert data["accueil-ambassadeurs"]["help_requests"][0]["subject"] == "Ma carte d'identité"
    services.help_close(help_request=thread, user=awa)
    assert services.help_requests_purge(now=timezone.now() + timedelta(days=364)) == 0
    assert services.help_requests_purge(now=timezone.now() + timedelta(days=366)) == 1
    assert not HelpMessage.objects.exists()
    services.help_request_create(ambassador=mariam, user=awa, subject="Encore", message="Bonjour")
    account_delete(user=mariam.user)
    assert not Ambassador.objects.filter(pk=mariam.pk).exists() and not HelpRequest.objects.exists()


def test_the_html_pages_from_applying_to_the_thread(mairie19, organiser19, awa, client19, hall19):
    user = resident(mairie19, username="candidate-html")
    client = client_as(user)
    assert client.get("/accueil/ambassadeurs/candidater/").status_code == 200
    bad = client.post("/accueil/ambassadeurs/candidater/", {"public_name": "", "languages": "fr", "help_with": "Tout"})
    assert bad.status_code == 400
    sent = client.post("/accueil/ambassadeurs/candidater/", {"public_name": "Nour", "languages": "français, arabe",
                                                             "help_with": "Remplir un dossier", "quartier": ""})
    assert sent.status_code == 302
    assert client_as(awa).get("/accueil/ambassadeurs/candidatures/").status_code == 403
    listing = client_as(organiser19).get("/accueil/ambassadeurs/candidatures/")
    assert "Nour" in listing.content.decode()
    nour = Ambassador.objects.get(public_name="Nour")
    assert client_as(organiser19).post(f"/accueil/ambassadeurs/candidatures/{nour.pk}/accepter/").status_code == 302
    assert "Nour" in client19.get("/accueil/ambassadeurs/").content.decode()
    asked = client_as(awa).post(f"/accueil/ambassadeurs/{nour.pk}/", {"subject": "Mon dossier CAF",
                                                                      "message": "Bonjour Nour"})
    assert asked.status_code == 302
    help_request = HelpRequest.objects.get()
    assert asked["Location"] == f"/accueil/ambassadeurs/demandes/{help_request.pk}/"
    assert client_as(awa).post(asked["Location"] + "accord/", {"kind": "ticket", "given": "1"}).status_code == 302
    page = client_as(user).get(asked["Location"])
    assert page.status_code == 200 and "Prendre le ticket" in page.content.decode()
    assert client19.post(f"/accueil/ambassadeurs/{nour.pk}/", {"subject": "x", "message": "y"}).status_code == 302
    assert HelpRequest.objects.count() == 1


def test_messages_past_the_help_rate_limit_get_429_and_are_not_saved(thread, awa, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "help": "2/h"}
    url = f"/api/accueil/help-requests/{thread.pk}/messages/"
    statuses = [api_as(awa).post(url, {"body": f"Message {n}"}, format="json").status_code for n in range(3)]
    assert statuses == [201, 201, 429]
    assert thread.messages.count() == 3  # the first message and two more
