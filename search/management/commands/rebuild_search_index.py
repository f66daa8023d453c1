import time

from django.core.management.base import BaseCommand, CommandError

from cms.errors import ServiceError
from search import registry, services
from search.conf import backend_name


class Command(BaseCommand):
    help = ("Rebuild the whole search index from every registered adapter (SEARCH_BACKEND: database or "
            "elasticsearch). Readers keep the old index until the new one is ready; writes made meanwhile "
            "are replayed into it. One rebuild at a time.")

    def add_arguments(self, parser):
        parser.add_argument("--time-dependent", action="store_true",
                            help="only refresh, in place, the documents that change with the clock "
                                 "(Occupai calls' phases, programmes made public): run it hourly")

    def handle(self, *args, **options):
        started = time.monotonic()
        refresh = options["time_dependent"]
        verbose = options["verbosity"] >= 2

        def progress(loaded):
            if verbose and loaded % 10_000 < 500:
                self.stdout.write(f"  {loaded} documents loaded…")

        try:
            counts = services.time_dependent_sync() if refresh else services.index_rebuild(progress=progress)
        except ServiceError as exc:
            raise CommandError(str(exc.message)) from exc
        for key in sorted(counts if refresh else registry.adapters()):
            self.stdout.write(f"  {key:<24} {counts.get(key, 0):>7}")
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(
            f"{total} documents indexed ({backend_name()} backend) in {time.monotonic() - started:.1f} s."))
