"""Keeping documents in sync with their objects.

Signals (post_save/post_delete of every registered adapter's model, Wagtail's page_published,
page_unpublished and post_page_move) note the object as pending; when the transaction commits,
one task per model re-reads the objects and updates the index (search/tasks.py). Nothing is
indexed before the commit, a page saved three times while publishing is indexed once, and pages
are always indexed from their live (published) state in the database.
"""

import logging

from django.apps import apps as django_apps
from django.db import DEFAULT_DB_ALIAS, router, transaction
from django.db.models.signals import post_delete, post_save

from . import registry

log = logging.getLogger(__name__)
TASK_CHUNK = 200
_connected: set = set()


class _Pending:
    """What the transactions of one connection changed and is not indexed yet."""

    def __init__(self):
        self.sync: dict[str, dict] = {}  # model label -> {pk: document id known at deletion, or None}

    def flush(self):
        sync, self.sync = self.sync, {}
        _enqueue(sync)


def _enqueue(sync):
    """One task per model (per 200 objects). Deletions are syncs too: the task finds the object gone
    and removes its document; if the deletion was rolled back, it finds the object and keeps it."""
    from .tasks import sync_objects

    for label, objects in sync.items():
        items = list(objects.items())
        for start in range(0, len(items), TASK_CHUNK):
            chunk = items[start:start + TASK_CHUNK]
            sync_objects.enqueue(label, [pk for pk, _id in chunk], {str(pk): i for pk, i in chunk if i})


def _pending(using) -> _Pending:
    connection = transaction.get_connection(using)
    pending = getattr(connection, "_search_pending", None)
    if pending is None:
        pending = connection._search_pending = _Pending()
    return pending


def _after_commit(using):
    """Every change registers a callback; the first one to run after a commit flushes them all, the
    others find nothing left. Work left by a rolled-back transaction is flushed with the next
    commit, which is harmless: tasks re-read the objects, so they index what is committed."""
    pending = _pending(using)
    transaction.on_commit(pending.flush, using=using, robust=True)


def _pk(value):
    return value if isinstance(value, int | str) else str(value)


def schedule_sync(obj, using=None, doc_id=None):
    """Re-index `obj` (or remove its document) once the current transaction commits."""
    if obj is None or obj.pk is None or registry.adapter_for_model(type(obj)) is None:
        return
    using = using or obj._state.db or router.db_for_write(type(obj)) or DEFAULT_DB_ALIAS
    objects = _pending(using).sync.setdefault(type(obj)._meta.label_lower, {})
    objects[_pk(obj.pk)] = doc_id or objects.get(_pk(obj.pk))
    _after_commit(using)


def _on_save(sender, instance, raw=False, using=None, **kwargs):
    if not raw:  # fixtures loading: rebuild afterwards
        schedule_sync(instance, using)


def _on_delete(sender, instance, using=None, **kwargs):
    adapter = registry.adapter_for_model(sender)
    if adapter is not None:
        schedule_sync(instance, using, doc_id=adapter.document_id(instance))


def _on_page_event(sender, instance, **kwargs):
    schedule_sync(instance.specific if hasattr(instance, "specific") else instance)
    if getattr(instance, "locale_id", None) is not None and not _in_default_locale(instance):
        # A translation published or unpublished: its other languages' documents say which
        # translations exist (Elasticsearch's `translated_into`), so they are indexed again too.
        for page in type(instance).objects.filter(translation_key=instance.translation_key).exclude(pk=instance.pk):
            schedule_sync(page.specific)


def _in_default_locale(page):
    from django.conf import settings

    from cms.i18n import locale_code

    return locale_code(page.locale_id) == settings.LANGUAGE_CODE


def _on_page_move(sender, instance, **kwargs):
    """A move changes the URL of the page and of everything under it."""
    for page in [instance, *instance.get_descendants()]:
        page = page.specific
        if registry.adapter_for_model(type(page)) is not None:
            schedule_sync(page)


def connect_adapter(adapter):
    """post_save/post_delete for the adapter's model and its concrete subclasses."""
    models = {m for m in django_apps.get_models() if issubclass(m, adapter.model)}
    if not adapter.model._meta.abstract:
        models.add(adapter.model)
    for model in models - _connected:
        uid = model._meta.label_lower
        post_save.connect(_on_save, sender=model, dispatch_uid=f"search-save-{uid}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"search-delete-{uid}")
        _connected.add(model)


def connect():
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for adapter in registry.adapters().values():
        connect_adapter(adapter)
    registry.on_register(connect_adapter)  # adapters registered after search's ready()
    page_published.connect(_on_page_event, dispatch_uid="search-page-published")
    page_unpublished.connect(_on_page_event, dispatch_uid="search-page-unpublished")
    post_page_move.connect(_on_page_move, dispatch_uid="search-page-moved")
