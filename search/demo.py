"""Demo: after every app's seeder ran, rebuild the index so that the demo content is searchable
at once (whatever task backend runs the signal-driven indexing)."""

from . import services


def seed(ctx):
    counts = services.index_rebuild()
    ctx.stdout(f"    search: {sum(counts.values())} documents indexed")
