"""Accounts move to django-allauth: every existing account gets its primary EmailAddress, verified
when its email was confirmed, so that logins, confirmed states and roles carry over unchanged."""

from django.db import migrations


def forwards(apps, schema_editor):
    User = apps.get_model("cms", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    known = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user_id=pk, email=email.lower(), primary=True, verified=confirmed)
         for pk, email, confirmed in User.objects.exclude(email="").values_list("id", "email", "email_confirmed")
         if pk not in known],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0006_mairie_pages_reviewed"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
