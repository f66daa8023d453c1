"""Reactions to Wagtail's publishing: each published charter revision is recorded as a version
with its wordings and their provenance (page_published, never post_save: drafts must not count)."""


def charter_published(sender, instance, revision=None, **kwargs):
    from .services import charter_record_publication

    charter_record_publication(charter=instance, revision=revision)


def charter_unpublished(sender, instance, **kwargs):
    """The commandements follow their charter offline: re-saving their rows lets whoever listens
    to their post_save (the search index) see that the charter is no longer public."""
    for commandement in instance.commandements.all():
        commandement.save(update_fields=["title"])
