"""The demo, built in a test: the core (both mairies, their pages, the demo accounts), then the demo content of
the apps that are asked for."""

from cms.demo import DemoContext, _seeders, seed_core


def seed_demo(*, port=80, only=None, skip=()) -> DemoContext:
    """The core demo, then each app's demo content in the order `make demo` runs them: only the apps named in
    `only` (all when None), never those in `skip`."""
    ctx = DemoContext(stdout=lambda line: None)
    seed_core(ctx, port=port)
    for _order, name, seeder in sorted(_seeders, key=lambda s: s[0]):
        if (only is None or name in only) and name not in skip:
            seeder(ctx)
    return ctx
