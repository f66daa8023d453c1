"""The benchmark's settings: production's, plus the `bench` app (manage.py seed_scale) and the bench
URLconf (the bare view beside every production route). The environment is read by production's
settings, as for a real deployment; bench/run.py sets it."""

from cms.settings.production import *  # noqa: F403
from cms.settings.production import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
