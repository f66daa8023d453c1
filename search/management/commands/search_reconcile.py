from django.core.management.base import BaseCommand

from search import reconcile


class Command(BaseCommand):
    help = ("Compare the search index with the database, type by type (counts, and a sample of documents "
            "field by field), and repair the drift: documents of objects gone are removed, objects missing "
            "or different are synced again. The scheduler runs it daily.")

    def add_arguments(self, parser):
        parser.add_argument("--sample", type=int, default=reconcile.SAMPLE,
                            help=f"documents compared field by field per type (default {reconcile.SAMPLE})")
        parser.add_argument("--dry-run", action="store_true", help="report only, repair nothing")

    def handle(self, *args, **options):
        reports = reconcile.index_reconcile(sample=max(0, options["sample"]), repair=not options["dry_run"])
        self.stdout.write(f"  {'type':<26} {'objects':>8} {'indexed':>8} {'orphans':>8} {'missing':>8} "
                          f"{'sampled':>8} {'differ':>7}")
        for r in reports:
            self.stdout.write(f"  {r.type:<26} {r.objects:>8} {r.indexed:>8} {r.orphans:>8} {r.missing:>8} "
                              f"{r.sampled:>8} {r.different:>7}")
        drift = sum(r.orphans + r.missing + r.different for r in reports)
        verb = "found" if options["dry_run"] else "repaired"
        style = self.style.SUCCESS if not drift else self.style.WARNING
        self.stdout.write(style(f"{drift} drifted document(s) {verb}."))
