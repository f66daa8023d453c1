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
model; apps never talk to a search engine directly.
"""

from .documents import SearchDocument

_adapters: dict[str, "SearchAdapter"] = {}


class SearchAdapter:
    type: str = ""
    label = ""
    model = None

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


def adapters() -> dict[str, SearchAdapter]:
    return dict(_adapters)


def adapter_for_model(model) -> SearchAdapter | None:
    for adapter in _adapters.values():
        if issubclass(model, adapter.model):
            return adapter
    return None
