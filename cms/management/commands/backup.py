import json
import shutil
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cms.backup import MANIFEST, BackupError, backup, private_folder


class Command(BaseCommand):
    help = ("Back up the database (SQLite or PostgreSQL) and the uploaded files into an owner-only folder; "
            "by default var/backups/<date-time>/, removing backups there older than BACKUP_RETENTION_DAYS. "
            "With an S3 store of public media (AWS_STORAGE_BUCKET_NAME), every object of its bucket too. "
            "With BACKUP_AGE_RECIPIENT (age public keys), the files are encrypted to them.")
    # No system checks: they load every URL and view (two seconds) and check nothing a backup or a
    # restore depends on; an operator restoring a damaged installation must not be stopped by them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("target", nargs="?", help="Folder to write (default var/backups/<date-time>/).")
        parser.add_argument("--no-media", action="store_true", help="Only the database (no files, no S3 object).")

    def handle(self, *args, target, no_media, **options):
        default_root = Path(settings.BASE_DIR) / "var" / "backups"
        try:
            if not target:
                target = private_folder(default_root) / timezone.localtime().strftime("%Y%m%d-%H%M%S")
            folder = backup(Path(target), media=not no_media, recipients=settings.BACKUP_AGE_RECIPIENT or None)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        except Exception as exc:  # pg_dump failed
            raise CommandError(f"Backup failed: {getattr(exc, 'stderr', b'') or exc}") from exc
        encrypted = " (encrypted with age)" if settings.BACKUP_AGE_RECIPIENT else ""
        bucket = json.loads((Path(folder) / MANIFEST).read_text()).get("s3")
        objects = (f", with the {bucket['objects']} objects ({bucket['bytes']} bytes) of the S3 bucket "
                   f"{bucket['bucket']}" if bucket else "")
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}{objects}{encrypted}"))
        if Path(folder).parent == default_root:
            self._prune(default_root, keep=folder)

    def _prune(self, root, keep):
        days = settings.BACKUP_RETENTION_DAYS
        limit = timezone.now() - timedelta(days=days)
        for old in root.iterdir():
            if old == keep or not (old / MANIFEST).exists():
                continue
            if old.stat().st_mtime < limit.timestamp():
                shutil.rmtree(old)
                self.stdout.write(f"Removed {old} (older than {days} days)")
