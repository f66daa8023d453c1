"""Sending SMS through a provider interface.

`console` (development and tests) prints each message and keeps it in `ConsoleProvider.outbox`;
`http` posts {"to": "+33...", "text": "..."} as JSON to SMS_HTTP_URL with the bearer token
SMS_HTTP_TOKEN (a generic gateway; an adapter for a given operator is one more class). With neither
configured, SMS are off: the forms do not offer a phone number and the services refuse one.
"""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings

log = logging.getLogger(__name__)


class SmsError(Exception):
    """The provider did not take the message (timeout, refusal)."""


class ConsoleProvider:
    outbox: list[dict] = []

    def send(self, to: str, text: str) -> None:
        ConsoleProvider.outbox.append({"to": to, "text": text})
        print(f"[SMS to {to}] {text}")  # noqa: T201 - the console provider's whole point


class HttpProvider:
    def __init__(self, url: str, token: str = "", timeout: float = 5.0):
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, to: str, text: str) -> None:
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, method="POST", headers=headers,  # noqa: S310 - configured URL
                                         data=json.dumps({"to": to, "text": text}).encode())
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                if response.status >= 300:
                    raise SmsError(f"status {response.status}")
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(str(exc)) from exc


def get_provider():
    """The configured provider, or None when SMS are off."""
    backend = getattr(settings, "SMS_BACKEND", "")
    if backend == "http" and settings.SMS_HTTP_URL:
        return HttpProvider(settings.SMS_HTTP_URL, settings.SMS_HTTP_TOKEN, settings.SMS_HTTP_TIMEOUT)
    if backend == "console":
        return ConsoleProvider()
    return None


def sms_enabled() -> bool:
    return get_provider() is not None
