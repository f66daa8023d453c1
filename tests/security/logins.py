"""Logging in as the login-limit tests do: through the HTML form or the API token endpoint, from a given
address (the limits and the lockout count per address)."""

from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import PASSWORD

HOST = "paris19.localhost"


def client_from(address):
    return Client(HTTP_HOST=HOST, REMOTE_ADDR=address)


def api_from(address):
    return APIClient(HTTP_HOST=HOST, REMOTE_ADDR=address)


def attempt(client, username, password):
    return client.post(reverse("login"), {"login": username, "password": password})


def token_attempt(api, username, password):
    return api.post(reverse("api-token"), {"username": username, "password": password}, format="json")


def token_after_lockout(settings, address, username="resident19"):
    """The token endpoint's answer to the right password once `username` failed AXES_FAILURE_LIMIT times from
    `address`."""
    api = api_from(address)
    for _n in range(settings.AXES_FAILURE_LIMIT):
        token_attempt(api, username, "pas-le-bon")
    return token_attempt(api, username, PASSWORD)
