"""Background indexing (django-tasks). Arguments are plain JSON: model labels, primary keys, ids.

Objects are read again from the database when the task runs, so a document always reflects what
was committed (never a draft held in memory, never a rolled-back change). A failed sync is recorded
and retried with backoff (search.services.sync_attempt): django-tasks has no retries of its own."""

from django_tasks import task


@task()
def sync_objects(model_label: str, pks: list, doc_ids: dict | None = None, attempt: int = 1):
    """doc_ids: {str(pk): document id} of deleted objects, whose id cannot be computed any more;
    attempt: 1, then 2, 3... for the retries of a failed sync."""
    from . import services

    return services.sync_attempt(model_label=model_label, pks=pks, doc_ids=doc_ids or {}, attempt=attempt)
