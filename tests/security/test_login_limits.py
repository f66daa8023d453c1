"""Login limits that a shared hall terminal or NAT survives: the HTML login is limited per account
and address (brute force on one account is stopped) and, much higher, per address (a hall's
residents all log in); the API token endpoint is throttled and locked-out accounts get 429 there
as on the HTML login."""

from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD
from tests.security.logins import api_from, attempt, client_from, token_after_lockout, token_attempt

HALL = "198.51.100.80"


def hall_client():
    return client_from(HALL)


def test_one_residents_brute_force_does_not_lock_out_the_next_one_at_the_hall(resident19, mairie19):
    from tests.factories import resident

    neighbour = resident(mairie19, username="voisine")
    attacker = hall_client()
    for _n in range(40):  # more than the former 30 logins per 15 minutes for the whole address
        attempt(attacker, "resident19", "devinette")
    assert attempt(attacker, "resident19", PASSWORD).status_code == 429  # that account, from there: stopped
    at_the_hall = hall_client()
    response = attempt(at_the_hall, neighbour.username, PASSWORD)
    assert response.status_code == 302
    assert at_the_hall.get(reverse("account")).status_code == 200


def test_many_residents_log_in_from_one_address(mairie19):
    from tests.factories import resident

    people = [resident(mairie19) for _n in range(35)]
    for person in people:
        assert attempt(hall_client(), person.username, PASSWORD).status_code == 302, person.username


@override_settings(RATELIMITS={"login": "3/15min", "login_ip": "5/15min"})
def test_logins_are_limited_per_account_and_address_and_per_address(resident19):
    client = hall_client()
    for _n in range(3):
        assert attempt(client, "resident19", "faux").status_code == 400
    response = attempt(client, "resident19", PASSWORD)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 900
    assert attempt(client, "quelqu-un", "faux").status_code == 400  # another account: its own budget
    response = attempt(client, "autre-personne", "faux")  # sixth login from the address: the hall's limit
    assert response.status_code == 429
    assert attempt(client_from("192.0.2.81"), "resident19", PASSWORD).status_code == 302


def test_the_token_endpoint_is_throttled_with_retry_after(resident19, settings):
    from rest_framework.settings import api_settings

    limit = int(api_settings.DEFAULT_THROTTLE_RATES["auth"].split("/")[0])
    api = api_from("198.51.100.82")
    for _n in range(limit):
        assert token_attempt(api, "resident19", "faux").status_code == 401
    response = token_attempt(api, "resident19", PASSWORD)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["code"] == "throttled"
    assert "token" not in response.json()


def test_a_locked_out_account_gets_429_from_the_token_endpoint(resident19, settings, lockout_on):
    response = token_after_lockout(settings, "198.51.100.83")
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert "bloquée" in response.json()["detail"]
    assert response["Retry-After"] == str(15 * 60)
    assert "token" not in response.json()
    assert token_attempt(api_from("198.51.100.84"), "resident19", PASSWORD).status_code == 200
