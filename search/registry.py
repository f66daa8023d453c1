"""The registry apps feed: each app declares, in its search.py, how its objects become documents.

    from search.registry import SearchAdapter, register

    class ProjectAdapter(SearchAdapter):
        type = "bureau.project"
        label = _("Projet du Bureau")
        model = Project

        def queryset(self):
            return Project.objects.all()          # every candidate, for rebuilds

        def document(self, obj):                  # None: not searchable (draft, hidden, private)
            ...
            return SearchDocument(...)

    register(ProjectAdapter())                    # in the app's AppConfig.ready()

The search app keeps documents in sync on save, publish, unpublish and delete of each registered
model; apps never talk to a search engine directly. A change made without save() (a queryset
update(), e.g. hiding by moderation) is announced with `reindex(obj)`; registered models also get
a `save_search_document()` method doing the same, which the participation engine calls.

Optional on an adapter: `status_labels = {"accepted": _("Acceptée"), ...}` names the status codes
in the search page's facets.
"""

from .documents import SearchDocument

_adapters: dict[str, "SearchAdapter"] = {}
_listeners: list = []


class SearchAdapter:
    type: str = ""
    label = ""
    model = None
    status_labels: dict = {}
    # True when a document changes with the clock alone (a phase that starts, a programme that
    # becomes public): `manage.py rebuild_search_index --time-dependent`, run hourly, refreshes them.
    time_dependent = False

    def queryset(self):
        return self.model._default_manager.all()

    def document(self, obj) -> SearchDocument | None:
        raise NotImplementedError

    def document_id(self, obj) -> str:
        return f"{self.type}:{obj.pk}"


def register(adapter: SearchAdapter):
    if not adapter.type or adapter.model is None:
        raise ValueError("A search adapter needs a type and a model.")
    _adapters[adapter.type] = adapter
    if not hasattr(adapter.model, "save_search_document"):
        adapter.model.save_search_document = reindex
    for listener in _listeners:
        listener(adapter)


def on_register(listener):
    """listener(adapter) is called for each adapter registered from now on (the search app's sync)."""
    if listener not in _listeners:
        _listeners.append(listener)


def reindex(obj):
    """Refresh obj's document after the current transaction commits (for changes made without save())."""
    from .sync import schedule_sync

    schedule_sync(obj)


def adapters() -> dict[str, SearchAdapter]:
    return dict(_adapters)


def adapter_for_model(model) -> SearchAdapter | None:
    """The adapter of this model, or of its closest registered parent class."""
    matching = [adapter for adapter in _adapters.values() if issubclass(model, adapter.model)]
    if not matching:
        return None
    return min(matching, key=lambda adapter: model.__mro__.index(adapter.model))
