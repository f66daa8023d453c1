"""Who sees the support counts of a call being voted on is decided once, by the call's support rule
(`SupportRule.counts_visible_to`): the call page, the proposal page and the API say the same for
every role, whether the call hides its counts during the vote or not."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from rest_framework.test import APIClient

from occupai.models.proposals import call_support_rule
from tests.conftest import HOST19, api_as, client_as
from tests.factories import occupai as f
from tests.factories import resident

BASE = "/api/occupai"
COUNT = "<strong>4</strong> soutiens"

# role -> whether it sees the counts while a call that hides them is being voted on
ROLES = {
    "visitor": False,
    "resident19": False,
    "another_resident19": False,
    "agent19": False,
    "organiser19": True,  # the call's organisers
    "editor19": False,
    "other_organiser": False,  # an organiser of the 20e
}


@pytest.fixture
def user_for(request, mairie19):
    def get(role):
        if role == "visitor":
            return None
        if role == "another_resident19":
            return resident(mairie19, username="voisine19")
        return request.getfixturevalue(role)

    return get


def _clients(user):
    if user is None:
        return Client(HTTP_HOST=HOST19), APIClient(HTTP_HOST=HOST19)
    return client_as(user), api_as(user)


@pytest.mark.parametrize("shown", [False, True], ids=["counts-hidden", "counts-shown"])
@pytest.mark.parametrize("role", list(ROLES))
def test_html_and_api_agree_on_who_sees_the_counts_during_the_vote(make_call, user_for, role, shown):
    call = make_call("voting", show_counts_during_voting=shown)
    proposal = f.proposal(call, title="Bal du parvis", supports_count=4)
    user = user_for(role)
    expected = shown or ROLES[role]
    html, api = _clients(user)

    call_page = html.get(call.site_path)
    proposal_page = html.get(proposal.get_absolute_url())
    detail = api.get(f"{BASE}/proposals/{proposal.pk}/")
    listed = api.get(f"{BASE}/proposals/", {"call": call.pk})
    assert call_page.status_code == proposal_page.status_code == detail.status_code == listed.status_code == 200

    call_html, proposal_html = call_page.content.decode(), proposal_page.content.decode()
    assert (COUNT in call_html) is expected, "call page"
    assert ("?tri=soutiens" in call_html) is expected, "the sort by supports gives the order away"
    assert (COUNT in proposal_html) is expected, "proposal page"
    assert detail.json()["supports_count"] == (4 if expected else None), "API detail"
    assert [p["supports_count"] for p in listed.json()["results"]] == [4 if expected else None], "API list"
    assert call_support_rule(call).counts_visible_to(user or AnonymousUser()) is expected


def test_the_order_by_supports_is_ignored_when_the_counts_are_hidden(make_call, resident19, organiser19):
    call = make_call("voting", show_counts_during_voting=False)
    f.proposal(call, title="A, peu soutenue", supports_count=1)
    f.proposal(call, title="B, très soutenue", supports_count=9)

    def order(user):
        html = client_as(user).get(call.site_path, {"tri": "soutiens"}).content.decode()
        return html.index("A, peu soutenue") < html.index("B, très soutenue")

    assert order(resident19) is True  # by title
    assert order(organiser19) is False  # by supports


def test_counts_show_to_everyone_once_the_vote_is_closed(make_call, resident19):
    call = make_call("selection", show_counts_during_voting=False)
    proposal = f.proposal(call, supports_count=4)
    assert call_support_rule(call).counts_visible_to(resident19)
    assert api_as(resident19).get(f"{BASE}/proposals/{proposal.pk}/").json()["supports_count"] == 4
    assert "4 soutiens" in client_as(resident19).get(call.site_path).content.decode()
