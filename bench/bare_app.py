"""The benchmarks' baseline: a bare Django application, served by gunicorn beside the platform.

    gunicorn bench.bare_app:application      # bench/run.py starts it with the platform's server settings

One view answering a short HTML page, and Django's defaults but for two middleware, SecurityMiddleware
and CommonMiddleware (what `django-admin startproject` keeps when the apps that need a database are
taken out): no app, no database, no template, no session. Every ratio of bench/run.py is a rate
divided by this application's rate at the same concurrency, same server settings, same run. Its own
settings are here (settings.configure): the platform's settings and DJANGO_SETTINGS_MODULE are not read.
SECRET_KEY and ALLOWED_HOSTS come from the environment, as bench/run.py sets them for both servers.
"""

import os

from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ.get("SECRET_KEY") or "bench-bare-app-" + "x" * 40,
    ALLOWED_HOSTS=[h for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,.localhost").split(",") if h],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
    ],
    INSTALLED_APPS=[],
    DATABASES={},
    TEMPLATES=[],
    USE_TZ=True,
)

from django.core.wsgi import get_wsgi_application  # noqa: E402 - after settings.configure
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

PAGE = (b"<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Bonjour</title></head>"
        b"<body><h1>Bonjour</h1><p>Une page HTML courte, sans base de donn\xc3\xa9es ni gabarit.</p></body></html>\n")


def page(request):
    return HttpResponse(PAGE)


urlpatterns = [path("", page)]

application = get_wsgi_application()
