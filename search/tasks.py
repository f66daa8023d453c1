"""Background indexing (django-tasks). Arguments are plain JSON: model labels, primary keys, ids.

Objects are read again from the database when the task runs, so a document always reflects what
was committed (never a draft held in memory, never a rolled-back change)."""

from django_tasks import task


@task()
def sync_objects(model_label: str, pks: list, doc_ids: dict | None = None):
    """doc_ids: {str(pk): document id} of deleted objects, whose id cannot be computed any more."""
    from . import services

    return services.objects_sync(model_label=model_label, pks=pks, doc_ids=doc_ids or {})
