import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(code, env):
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS",
                                                             "REDIS_URL", "SEARCH_BACKEND", "EMAIL_HOST",
                                                             "DJANGO_SETTINGS_MODULE", "TASKS_BACKEND",
                                                             "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(extra)
    return env


SHOW = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cms.settings.dev'); django.setup(); "
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DEBUG, s.SEARCH_BACKEND, s.CACHES['default']['BACKEND'], "
        "s.EMAIL_BACKEND, ','.join(s.ALLOWED_HOSTS))")


def test_defaults_are_safe_for_a_laptop():
    out = _run(SHOW, _env()).stdout.split()
    assert out[0] == "django.db.backends.sqlite3"
    assert out[2] == "database"
    assert out[3].endswith("LocMemCache")
    assert out[4].endswith("console.EmailBackend")


def test_settings_come_from_the_environment():
    out = _run(SHOW, _env(DATABASE_URL="postgres://u@db.example:5432/mairie", DEBUG="false", SEARCH_BACKEND="elasticsearch",
                          REDIS_URL="redis://127.0.0.1:6379/1", EMAIL_HOST="smtp.example", ALLOWED_HOSTS="a.fr,b.fr")).stdout.split()
    assert out[0] == "django.db.backends.postgresql"
    assert out[1] == "False"
    assert out[2] == "elasticsearch"
    assert out[3].endswith("RedisCache")
    assert out[4].endswith("smtp.EmailBackend")
    assert out[5] == "a.fr,b.fr"


def test_production_refuses_to_start_without_a_secret_key():
    result = _run("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='cms.settings.production'; django.setup()",
                  _env(ALLOWED_HOSTS="mairie19.paris.fr"))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_configuration_passes_check_deploy_without_warnings():
    env = _env(DJANGO_SETTINGS_MODULE="cms.settings.production", SECRET_KEY="x" * 30 + "-Zq8!vR2#pL0@wN5$kT7^hB3&mC9*dF1",
               ALLOWED_HOSTS="mairie19.paris.fr")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
