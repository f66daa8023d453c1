import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Replace the database (and the uploaded files, and the S3 bucket's objects if the backup holds them) "
            "with a backup made by `manage.py backup`; "
            "an encrypted one needs its age private key in BACKUP_AGE_IDENTITY (the key or its file).")
    # No system checks: they load every URL and view (two seconds) and check nothing a backup or a
    # restore depends on; an operator restoring a damaged installation must not be stopped by them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("source", help="The backup folder.")
        parser.add_argument("--no-media", action="store_true", help="Only the database (no files, no S3 object).")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, source, no_media, yes, **options):
        if not yes:
            answer = input(f"Replace the current database with the backup in {source}? Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            # The private key is read here only, from the operator's environment: it is no setting of
            # the running site, which never needs it.
            restore(Path(source), media=not no_media, identity=os.environ.get("BACKUP_AGE_IDENTITY") or None)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        except Exception as exc:  # pg_restore failed
            raise CommandError(f"Restore failed: {getattr(exc, 'stderr', b'') or exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Restored from {source}"))
