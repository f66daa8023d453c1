"""Every model change has its migration (what `makemigrations --check` says, run among the tests)."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:  # makemigrations --check exits with 1 when a migration is missing
        pytest.fail("a model change has no migration:\n" + out.getvalue())
    assert "No changes detected" in out.getvalue()
