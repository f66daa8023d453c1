"""/api/bricolages/: list, create, detail, update as a revision, revisions, restore, rating, feedback."""

import pytest
from django.urls import reverse

from bricolages.models import BricolagePage, Feedback, Rating
from tests.conftest import HOST20, api_as

LIST = "/api/bricolages/"


def _payload(**overrides):
    data = {
        "title": "Affiche des horaires en gros caractères",
        "summary": "Une affiche lisible de loin.",
        "problem": "Les horaires étaient écrits trop petit.",
        "materials": "Imprimante A3.",
        "tags": ["accueil", "affichage"],
        "tools": ["Imprimante A3"],
        "steps": [{"text": "Ouvrir le modèle."}, {"text": "Imprimer en A3."}],
    }
    data.update(overrides)
    return data


def test_an_agent_creates_a_bricolage_through_the_api(agent20, mairie20):
    response = api_as(agent20, host=HOST20).post(LIST, _payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["title"] == "Affiche des horaires en gros caractères"
    assert body["author"]["name"] == agent20.public_name and body["mairie"]["slug"] == "paris20"
    assert [s["text"] for s in body["steps"]] == ["Ouvrir le modèle.", "Imprimer en A3."]
    assert body["tags"] == ["accueil", "affichage"] and body["tools"] == ["Imprimante A3"]
    assert body["rating"] == {"count": 0, "average": None, "score": 3.0}
    assert body["licence"] == "cc-by-sa-4.0"
    assert BricolagePage.objects.get(pk=body["id"]).mairie == mairie20


def test_create_refuses_bad_input_with_field_errors(agent20):
    client = api_as(agent20)
    response = client.post(LIST, _payload(title="", steps=[]), format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) >= {"title"}
    response = client.post(LIST, _payload(steps=[{"text": "Étape", "image": 999999, "alt": "x"}]), format="json")
    assert response.status_code == 400 and "Image inconnue" in str(response.json()["errors"]["steps"])
    response = client.post(LIST, _payload(steps=[{"text": " "}]), format="json")
    assert response.status_code == 400 and "au moins une étape" in str(response.json())
    assert not BricolagePage.objects.exists()


def test_list_filters_sorts_and_paginates(queue_tool, agent20):
    client = api_as(agent20)
    client.post(LIST, _payload(), format="json")
    body = client.get(LIST, {"ordering": "recent"}).json()
    assert body["count"] == 2 and body["results"][0]["title"] == "Affiche des horaires en gros caractères"
    assert [r["title"] for r in client.get(LIST, {"tag": "état civil"}).json()["results"]] == ["Tableur de file d'attente"]
    assert [r["title"] for r in client.get(LIST, {"tool": "imprimante-a3"}).json()["results"]] == [
        "Affiche des horaires en gros caractères"]
    assert client.get(LIST, {"mairie": "paris19"}).json()["count"] == 1
    assert client.get(LIST, {"page_size": 1}).json()["next"]
    assert client.get(LIST, {"page": 99}).status_code == 404


def test_detail_shows_steps_with_their_pictures_and_files(queue_tool, agent20):
    body = api_as(agent20).get(f"{LIST}{queue_tool.pk}/").json()
    assert body["steps"][0]["alt"] == "Une grille de tableur"
    assert body["steps"][0]["image_url"].endswith(f"/bricolages/images/{body['steps'][0]['image']}/etape/")
    assert body["attachments"][0]["title"] == "modele.csv"
    assert body["attachments"][0]["url"].endswith(f"/bricolages/{queue_tool.pk}/fichiers/{body['attachments'][0]['id']}/")
    assert body["revision_id"] == queue_tool.live_revision_id and body["my_rating"] is None


def test_update_is_a_new_revision_and_an_unchanged_update_is_refused(queue_tool, agent20):
    client = api_as(agent20)
    url = f"{LIST}{queue_tool.pk}/"
    current = client.get(url).json()
    unchanged = {k: current[k] for k in ("title", "summary", "problem", "materials", "tags", "tools")}
    unchanged["steps"] = [{"text": s["text"], "image": s["image"], "alt": s["alt"]} for s in current["steps"]]
    response = client.put(url, {**unchanged, "change_note": "Rien"}, format="json")
    assert response.status_code == 400 and "Aucune modification" in response.json()["detail"]
    response = client.patch(url, {"title": "Nouveau titre"}, format="json")
    assert response.status_code == 400 and "change_note" in response.json()["errors"]
    response = client.patch(url, {"title": "Nouveau titre", "change_note": "Titre plus clair"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "Nouveau titre"
    assert response.json()["steps"][0]["image"] == current["steps"][0]["image"]  # untouched fields kept
    revisions = client.get(f"{url}revisions/").json()["results"]
    assert [(r["note"], r["current"], r["kind"]) for r in revisions] == [
        ("Titre plus clair", True, "edited"), ("Première version", False, "created")]
    assert revisions[0]["user"]["name"] == agent20.public_name


def test_restore_through_the_api(queue_tool, agent20):
    client = api_as(agent20)
    url = f"{LIST}{queue_tool.pk}/"
    first = queue_tool.live_revision_id
    client.patch(url, {"title": "Nouveau titre", "change_note": "Titre"}, format="json")
    response = client.post(f"{url}revisions/{first}/restore/", {"change_note": "Retour au titre d'origine"},
                           format="json")
    assert response.status_code == 200 and response.json()["title"] == "Tableur de file d'attente"
    assert client.get(f"{url}revisions/").json()["results"][0]["restored_from"] == first
    response = client.post(f"{url}revisions/{first}/restore/", {}, format="json")
    assert response.status_code == 400  # already the current content
    assert client.post(f"{url}revisions/999999/restore/", {}, format="json").status_code == 404


@pytest.mark.parametrize("stars", [0, 6, 3.5, "3.5", "cinq", None, True, [4]])
def test_bad_ratings_are_refused_with_400(queue_tool, agent20, stars):
    response = api_as(agent20).put(f"{LIST}{queue_tool.pk}/rating/", {"stars": stars}, format="json")
    assert response.status_code == 400
    assert "de 1 à 5" in response.json()["detail"]
    assert not Rating.objects.exists()


def test_rating_put_change_get_and_delete(queue_tool, agent20):
    client = api_as(agent20)
    url = f"{LIST}{queue_tool.pk}/rating/"
    assert client.put(url, {"stars": 3}, format="json").json()["stars"] == 3
    body = client.put(url, {"stars": "5"}, format="json").json()
    assert body == {"stars": 5, "rating": {"count": 1, "average": 5.0, "score": pytest.approx((5 * 5 + 5) / 6, abs=1e-3)}}
    assert client.get(url).json()["stars"] == 5
    assert client.delete(url).status_code == 204
    assert client.get(url).json() == {"stars": None, "rating": {"count": 0, "average": None, "score": 3.0}}


def test_rating_ones_own_bricolage_is_forbidden(queue_tool, agent19):
    response = api_as(agent19).put(f"{LIST}{queue_tool.pk}/rating/", {"stars": 5}, format="json")
    assert response.status_code == 403 and "votre propre bricolage" in response.json()["detail"]
    assert not Rating.objects.exists()


def test_feedback_post_and_list(queue_tool, agent20):
    client = api_as(agent20, host=HOST20)
    url = f"{LIST}{queue_tool.pk}/feedback/"
    response = client.post(url, {"outcome": "worked", "note": "Adopté au 20e."}, format="json")
    assert response.status_code == 201
    assert response.json()["mairie"]["slug"] == "paris20" and response.json()["in_use"] is True
    assert client.post(url, {"outcome": "peut-être", "note": "?"}, format="json").status_code == 400
    assert client.get(url).json()["results"][0]["note"] == "Adopté au 20e."
    detail = client.get(f"{LIST}{queue_tool.pk}/").json()
    assert detail["adoption_count"] == 1 and detail["mairies_in_use"][0]["slug"] == "paris20"
    assert Feedback.objects.count() == 1


def test_a_variant_through_the_api(queue_tool, agent20):
    client = api_as(agent20)
    response = client.post(LIST, _payload(variant_of=queue_tool.pk), format="json")
    assert response.status_code == 201 and response.json()["variant_of"] == queue_tool.pk
    parent = client.get(f"{LIST}{queue_tool.pk}/").json()
    assert parent["variants"] == [response.json()["id"]] and parent["variants_count"] == 1
    assert client.post(LIST, _payload(variant_of=999999), format="json").status_code == 404


def test_the_api_root_lists_the_bricolages(client19):
    assert client19.get("/api/").json()["endpoints"]["bricolages"].endswith("/api/bricolages/")


def test_the_schema_documents_the_endpoints(client19):
    schema = client19.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    assert {"/api/bricolages/", "/api/bricolages/{id}/", "/api/bricolages/{id}/revisions/",
            "/api/bricolages/{id}/rating/", "/api/bricolages/{id}/feedback/"} <= set(paths)
