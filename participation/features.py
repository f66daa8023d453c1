"""What a feature app plugs into the layers below, declared once in its AppConfig.ready().

Every feature adds the same kinds of things under its app label: its section of the site
(cms.sections, titled with the app's verbose name), its participatory types (participation.registry),
its API families (cms.api.registry), its demo seeder (cms.demo), its search adapters
(search.registry), its open datasets (cms.opendata) and what each new mairie needs from it
(cms.mairie_setup). `plug_in` takes them as one declaration,
so that an app's manifest says what it adds; each registry keeps its own rules.
"""

from collections.abc import Callable, Iterable
from dataclasses import replace

from django.apps import AppConfig

from cms.api.registry import register_endpoint
from cms.demo import register_demo
from cms.mairie_setup import register_set_up
from cms.opendata import register_dataset
from cms.sections import Section, register_section
from search.registry import register as register_search

from .notification_kinds import register_notification_verbs
from .registry import register_participatory


def plug_in(app: AppConfig, *, summary, order: int, url: Callable, visible: Callable | None = None,
            participatory: dict | None = None, api: Iterable[str] = (), demo: tuple[int, Callable],
            search: Iterable = (), opendata: Iterable = (), set_up: Callable | None = None,
            notifications: dict[str, str] | None = None):
    """`url(request, mairie)` and `visible(user)` are the section's (cms.sections.Section);
    `participatory` maps each model to its is_visible(user, obj); `api` names the families under
    /api/<label>/, registered as "<label>-<family>" ("" for that root itself, named "<label>");
    `demo` is (order, seeder); `opendata` lists its public datasets (cms.opendata.Dataset);
    `set_up(mairie, home, **options)` adds what a mairie needs from the app (its index page...),
    idempotent, run by cms.mairie_setup.add_mairie in the section's order; `notifications` maps the
    verbs of its notifications to the kinds residents choose their emails by (participation.notification_kinds)."""
    key = app.label
    section = Section(key=key, title=app.verbose_name, summary=summary, order=order, url=url)
    register_section(section if visible is None else replace(section, visible=visible))
    for model, is_visible in (participatory or {}).items():
        register_participatory(model, is_visible=is_visible)
    for family in api:
        name, path = (f"{key}-{family}", f"/api/{key}/{family}/") if family else (key, f"/api/{key}/")
        register_endpoint(name, path)
    demo_order, seeder = demo
    register_demo(demo_order, key, seeder)
    for adapter in search:
        register_search(adapter)
    for dataset in opendata:
        register_dataset(dataset)
    if set_up is not None:
        register_set_up(order, key, set_up)
    register_notification_verbs(key, notifications or {})
