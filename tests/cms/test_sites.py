from cms.mairies import mairie_for_request


def test_each_mairie_answers_on_its_own_hostname(client19, client20):
    home19 = client19.get("/")
    home20 = client20.get("/")
    assert home19.status_code == home20.status_code == 200
    assert "19e" in home19.context["page"].title and "20e" in home20.context["page"].title
    assert home19.context["current_mairie"].slug == "paris19"
    assert home20.context["current_mairie"].slug == "paris20"


def test_unknown_host_falls_back_to_the_default_mairie(site_ctx, rf):
    request = rf.get("/", HTTP_HOST="127.0.0.1")
    assert mairie_for_request(request).slug == "paris19"


def test_api_root_names_the_mairie_of_the_host(api19, api20):
    assert api19.get("/api/").json()["mairie"] == "paris19"
    assert api20.get("/api/").json()["mairie"] == "paris20"


def test_pages_of_one_mairie_are_not_served_on_the_other(client19, client20):
    assert client19.get("/a-propos/").status_code == 200
    # the 20e's about page exists too, but only under its own host
    page20 = client20.get("/a-propos/")
    assert page20.status_code == 200
    assert page20.context["page"].get_parent().specific.slug == "accueil-paris20"
