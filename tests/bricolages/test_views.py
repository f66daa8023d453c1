"""The HTML pages: the front-end form (no JavaScript), history, restore, ratings and feedback forms."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Page

from bricolages import selectors
from bricolages.models import BricolagePage, Feedback, Rating
from bricolages.search import BricolageAdapter
from tests.conftest import HOST20, client_as
from tests.factories.bricolages import bricolage, png_upload


def _form_data(total=6, initial=0, **overrides):
    data = {
        "title": "Classeur des prêts de matériel", "summary": "Qui a emprunté quoi.",
        "problem": "Les rallonges et les grilles d'exposition disparaissaient.", "tools": "Tableur, Étiquettes",
        "materials": "Un tableur partagé.", "tags": "salles, matériel", "licence": "cc-by-sa-4.0",
        "etape-TOTAL_FORMS": str(total), "etape-INITIAL_FORMS": str(initial),
        "etape-MIN_NUM_FORMS": "0", "etape-MAX_NUM_FORMS": "30",
    }
    data.update(overrides)
    return data


def test_an_agent_publishes_through_the_form_with_two_steps_and_a_picture(agent19):
    client = client_as(agent19)
    page = client.get(reverse("bricolages:create")).content.decode()
    assert 'enctype="multipart/form-data"' in page and "etape-0-text" in page and "etape-5-text" in page
    data = _form_data(**{"etape-0-text": "Créer un onglet par type de matériel.", "etape-0-image": png_upload(),
                         "etape-0-alt": "Un classeur à onglets", "etape-1-text": "Noter chaque prêt.",
                         "add_attachments": SimpleUploadedFile("prets.csv", b"objet;emprunteur\n")})
    response = client.post(reverse("bricolages:create"), data)
    assert response.status_code == 302
    created = BricolagePage.objects.get()
    assert response["Location"] == created.get_absolute_url()
    assert [s["text"] for s in created.step_list] == ["Créer un onglet par type de matériel.", "Noter chaque prêt."]
    assert sorted(t.name for t in created.tools.all()) == ["Tableur", "Étiquettes"]
    detail = client.get(created.get_absolute_url()).content.decode()
    image = created.step_list[0]["image"]
    assert f'src="/bricolages/images/{image.pk}/etape/" alt="Un classeur à onglets"' in detail
    assert "prets.csv" in detail and detail.count("<h1") == 1


def test_form_errors_are_announced_and_nothing_is_saved(agent19):
    client = client_as(agent19)
    response = client.post(reverse("bricolages:create"), _form_data(title="", **{
        "etape-0-text": "Photo", "etape-0-image": png_upload(), "etape-0-alt": ""}))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and 'aria-invalid="true"' in page
    assert "Décrivez l&#x27;image" in page
    response = client.post(reverse("bricolages:create"), _form_data(**{
        "etape-0-text": "Un", "add_attachments": SimpleUploadedFile("outil.exe", b"MZ\x90\x00rest")}))
    assert response.status_code == 400 and "exécutables sont refusés" in response.content.decode()
    assert not BricolagePage.objects.exists()


def _edit_data(page, **overrides):
    data = {"title": page.title, "summary": page.summary, "problem": page.problem, "materials": page.materials,
            "tools": ", ".join(t.name for t in page.tools.all()), "tags": ", ".join(t.name for t in page.tags.all()),
            "licence": page.licence, "etape-TOTAL_FORMS": str(len(page.step_list) + 4),
            "etape-INITIAL_FORMS": str(len(page.step_list)), "etape-MIN_NUM_FORMS": "0", "etape-MAX_NUM_FORMS": "30"}
    for i, step in enumerate(page.step_list):
        data[f"etape-{i}-text"] = step["text"]
        data[f"etape-{i}-alt"] = step["alt"]
        data[f"etape-{i}-ORDER"] = str(i + 1)
        if step["image"]:
            data[f"etape-{i}-existing_image"] = str(step["image"].pk)
    data.update(overrides)
    return data


def test_editing_without_change_is_refused_then_a_real_change_is_a_revision(queue_tool, agent20):
    client = client_as(agent20, host=HOST20)
    url = reverse("bricolages:edit", args=[queue_tool.pk])
    form = client.get(url).content.decode()
    assert f'name="etape-0-existing_image" value="{queue_tool.step_list[0]["image"].pk}"' in form
    response = client.post(url, _edit_data(queue_tool, change_note="Rien"))
    assert response.status_code == 400 and "Aucune modification" in response.content.decode()
    response = client.post(url, _edit_data(queue_tool, change_note="", title="Autre"))
    assert response.status_code == 400
    response = client.post(url, _edit_data(queue_tool, change_note="Étapes inversées",
                                           **{"etape-0-ORDER": "2", "etape-1-ORDER": "1"}))
    assert response.status_code == 302
    page = BricolagePage.objects.get(pk=queue_tool.pk)
    assert [s["text"] for s in page.step_list] == ["Noter les arrivées.", "Ouvrir le modèle."]
    assert page.step_list[1]["image"] is not None  # the picture moved with its step
    assert page.revisions.count() == 2


def test_history_compare_and_restore_pages(queue_tool, agent20):
    client = client_as(agent20)
    first = queue_tool.live_revision
    client.post(reverse("bricolages:edit", args=[queue_tool.pk]),
                _edit_data(queue_tool, change_note="Titre plus court", title="File d'attente"))
    history = client.get(reverse("bricolages:history", args=[queue_tool.pk])).content.decode()
    assert "Titre plus court" in history and "Première version" in history and "version actuelle" in history
    compare = client.get(reverse("bricolages:compare", args=[queue_tool.pk]), {"de": first.pk}).content.decode()
    assert "<del>" in compare and "Tableur de file d&#x27;attente</del>" in compare
    assert "File d&#x27;attente</ins>" in compare
    old = client.get(reverse("bricolages:revision", args=[queue_tool.pk, first.pk])).content.decode()
    assert "Tableur de file d&#x27;attente" in old and "Restaurer cette version" in old
    url = reverse("bricolages:restore", args=[queue_tool.pk, first.pk])
    assert "Ce qui changera" in client.get(url).content.decode()
    assert client.post(url, {"change_note": ""}).status_code == 302
    assert BricolagePage.objects.get(pk=queue_tool.pk).title == "Tableur de file d'attente"
    response = client.post(url, {"change_note": ""})
    assert response.status_code == 400 and "identique" in response.content.decode()


def test_variant_form_and_the_links_both_ways(queue_tool, agent20):
    client = client_as(agent20, host=HOST20)
    url = reverse("bricolages:variant", args=[queue_tool.pk])
    assert "Tableur de file d&#x27;attente (variante)" in client.get(url).content.decode()
    response = client.post(url, _edit_data(queue_tool, title="File d'attente avec écran"))
    assert response.status_code == 302
    variant = BricolagePage.objects.get(variant_of=queue_tool)
    assert variant.mairie == agent20.mairie and variant.attachments.count() == 1
    parent_page = client.get(queue_tool.get_absolute_url()).content.decode()
    assert "1 variante" in parent_page and "La famille de ce bricolage" in parent_page
    variant_page = client.get(variant.get_absolute_url()).content.decode()
    assert "Variante de <a" in variant_page
    diff = client.get(reverse("bricolages:parent-diff", args=[variant.pk])).content.decode()
    assert "File d&#x27;attente avec écran</ins>" in diff
    response = client.post(url, _edit_data(queue_tool))
    assert response.status_code == 400 and "identique au bricolage d&#x27;origine" in response.content.decode()


def test_rating_form_errors_and_success(queue_tool, agent19, agent20):
    url = reverse("bricolages:rate", args=[queue_tool.pk])
    client = client_as(agent20)
    for bad in ("0", "6", "3.5", "cinq", ""):
        response = client.post(url, {"stars": bad})
        assert response.status_code == 400 and "de 1 à 5" in response.content.decode()
    assert client.post(url, {"stars": "4"}).status_code == 302
    page = client.get(queue_tool.get_absolute_url()).content.decode()
    assert "4 sur 5 (1 note)" in page and "Votre note : 4 sur 5" in page
    response = client_as(agent19).post(url, {"stars": "5"})
    assert response.status_code == 403 and "votre propre bricolage" in response.content.decode()
    assert list(Rating.objects.values_list("stars", flat=True)) == [4]
    assert client.post(reverse("bricolages:unrate", args=[queue_tool.pk])).status_code == 302
    assert not Rating.objects.exists()


def test_feedback_form_and_adoption_on_the_page(queue_tool, agent20):
    client = client_as(agent20, host=HOST20)
    url = reverse("bricolages:feedback", args=[queue_tool.pk])
    assert client.post(url, {"outcome": "worked", "note": ""}).status_code == 400
    assert client.post(url, {"outcome": "worked", "note": "On l'utilise tous les samedis."}).status_code == 302
    client.post(reverse("bricolages:rate", args=[queue_tool.pk]), {"stars": "5"})
    page = client.get(queue_tool.get_absolute_url()).content.decode()
    assert "En usage dans 1 mairie" in page and "Mairie du 20e arrondissement" in page
    assert "a utilisé l'outil" in page
    assert Feedback.objects.get().mairie == agent20.mairie


def test_the_list_filters_sorts_paginates_on_both_hosts(queue_tool, agent19, agent20, settings):
    settings.BRICOLAGES_PAGE_SIZE = 2
    for n in range(3):
        bricolage(agent20, title=f"Outil du 20e numéro {n}", tags=["salles"])
    for host in ("paris19.localhost", HOST20):
        page = client_as(agent19, host=host).get(reverse("bricolages:list")).content.decode()
        assert "4 bricolages" in page and "Page 1 sur 2" in page and "moyenne bayésienne" in page
    page = client_as(agent19).get(reverse("bricolages:list"), {"mairie": "paris19", "tri": "recent"}).content.decode()
    assert "1 bricolage" in page and "Tableur de file d&#x27;attente" in page
    page = client_as(agent19).get(reverse("bricolages:list"), {"etiquette": "salles", "page": "2"}).content.decode()
    assert "Page 2 sur 2" in page and 'rel="prev"' in page and "etiquette=salles" in page
    assert client_as(agent19).get(reverse("bricolages:list"), {"page": "abc", "tri": "n'importe"}).status_code == 200


def test_comments_through_the_engine(queue_tool, agent20):
    client = client_as(agent20)
    page = client.get(queue_tool.get_absolute_url()).content.decode()
    assert "Discussion" in page and 'name="target" value="bricolages.bricolagepage:' in page
    response = client.post(reverse("participation-comment"), {
        "target": f"bricolages.bricolagepage:{queue_tool.pk}", "text": "Très utile, merci !",
        "next": queue_tool.get_absolute_url()})
    assert response.status_code == 302
    assert "Très utile, merci !" in client.get(queue_tool.get_absolute_url()).content.decode()
    assert BricolagePage.objects.get(pk=queue_tool.pk).comments_count == 1


def test_never_in_sitemaps_wagtail_routes_or_the_public_pages_api(queue_tool, client19, client20, agent19):
    for client in (client19, client20, client_as(agent19)):
        sitemap = client.get("/sitemap.xml").content.decode()
        assert "/bricolages/" not in sitemap and "bricolages-des-agents" not in sitemap
    api = client19.get("/api/v2/pages/", {"type": "bricolages.BricolagePage"})
    assert api.status_code == 200 and api.json()["meta"]["total_count"] == 0
    assert client19.get(f"/api/v2/pages/{queue_tool.pk}/").status_code == 404
    index = queue_tool.get_parent()
    assert client19.get(f"/{index.slug}/").status_code == 404
    assert client19.get(f"/{index.slug}/{queue_tool.slug}/").status_code == 404
    assert queue_tool.get_sitemap_urls() == []
    assert not Page.objects.live().public().type(BricolagePage).exists()  # private pages, for the staff groups


def test_the_search_document_is_for_agents_only_and_shared(queue_tool, organiser19):
    from participation import services as engine

    document = BricolageAdapter().document(queue_tool)
    assert document.audience == "agents" and document.mairie is None
    assert document.url == f"/bricolages/{queue_tool.pk}/"
    assert "Ouvrir le modèle." in document.body and "Tableur" in document.body
    assert document.tags == ["accueil", "état civil"]
    assert queue_tool.author.email not in document.body
    engine.moderation_hide(actor=organiser19, target=queue_tool, reason="Doublon")
    assert BricolageAdapter().document(BricolagePage.objects.get(pk=queue_tool.pk)) is None


def test_a_missing_bricolage_is_404_for_agents(agent19):
    assert client_as(agent19).get(reverse("bricolages:detail", args=[999999])).status_code == 404
    assert selectors.bricolage_list(agent19).count() == 0
