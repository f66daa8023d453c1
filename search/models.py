"""The database backend's rows. One SearchEntry per document; the full-text side lives beside it:
on SQLite the FTS5 tables `search_fts` (stemmed title, keywords, body; rowid = entry id) and
`search_suggest_fts` (folded title words, prefix-indexed); on PostgreSQL two tsvector columns
added to this table (`document`, `suggest`) with GIN indexes (see migration 0002)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .documents import AGENTS, PUBLIC


class SearchEntry(models.Model):
    # Short columns first, the body last: SQLite then reads the filter and facet columns of a row
    # without walking the overflow pages of a long body.
    doc_id = models.CharField(_("identifiant du document"), max_length=160, unique=True)
    type = models.CharField(_("type"), max_length=60)
    mairie = models.CharField(_("mairie"), max_length=40, null=True, blank=True)
    audience = models.CharField(_("public"), max_length=10, choices=[(PUBLIC, _("tout le monde")),
                                                                    (AGENTS, _("les agents"))])
    quartier = models.CharField(_("quartier"), max_length=80, blank=True)
    status = models.CharField(_("statut"), max_length=60, blank=True)
    date = models.DateTimeField(_("date"), null=True, blank=True)
    indexed_at = models.DateTimeField(_("indexé le"), auto_now=True)
    # The version of the write that put this row here (search/versions.py): an older write leaves it.
    version = models.BigIntegerField(_("version"), default=0)
    # The text's language, and the key a page's translations share ("" for what is not a page):
    # see search.permissions.VisibilityFilter.
    language = models.CharField(_("langue"), max_length=10, default="fr")
    translation_key = models.CharField(_("clé de traduction"), max_length=36, blank=True, default="")
    url = models.CharField(_("adresse"), max_length=500)
    title = models.CharField(_("titre"), max_length=300)
    body = models.TextField(_("texte"), blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["audience", "mairie"], name="search_entry_scope"),
            models.Index(fields=["type"], name="search_entry_type"),
            models.Index(fields=["-date"], name="search_entry_date"),
            # Covers what a search reads of each matched row (visibility, filters, facets, order):
            # SQLite then reads this narrow index, never the wide rows with their bodies.
            models.Index(fields=["id", "audience", "mairie", "type", "quartier", "status", "date"],
                         name="search_entry_facets"),
            models.Index(fields=["translation_key", "language"], name="search_entry_translation"),
        ]
        verbose_name = _("document indexé")
        verbose_name_plural = _("documents indexés")

    def __str__(self):
        return self.doc_id


class SearchTombstone(models.Model):
    """A document removed from the database backend's index, with the version of that removal: an
    index of an older read arriving late is refused instead of bringing the document back. Kept
    versions.TOMBSTONE_SECONDS, longer than any delay between a sync's read and its write."""

    doc_id = models.CharField(max_length=160, unique=True)
    version = models.BigIntegerField(db_index=True)

    def __str__(self):
        return f"{self.doc_id} (removed, version {self.version})"


class VersionClock(models.Model):
    """SQLite only: the clock of search versions (search/versions.py), one row. Each version taken
    is the machine's time in microseconds, or the last one plus one if that is not later."""

    value = models.BigIntegerField()

    def __str__(self):
        return str(self.value)


class SearchTag(models.Model):
    """A document's tags, one row each, so that tag filters and facet counts stay in SQL."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="tag_rows")
    name = models.CharField(_("mot-clé"), max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "name"], name="search_tag_once")]
        indexes = [models.Index(fields=["name", "entry"], name="search_tag_name")]

    def __str__(self):
        return self.name


class SearchTerm(models.Model):
    """The index's vocabulary (folded words and their stems): the source of "did you mean".

    Words are added as documents are indexed; a rebuild recounts them. Words of removed documents
    linger until then, which is harmless: a correction is only offered when it finds results the
    asking user may see."""

    word = models.CharField(max_length=60, unique=True)
    stem = models.CharField(max_length=60, db_index=True)
    display = models.CharField(max_length=60)
    frequency = models.PositiveIntegerField(default=1)

    def __str__(self):
        return self.word


class SyncFailure(models.Model):
    """A sync of one object that failed (engine down, timeout, database locked) and waits for its
    retry: by a deferred task when the task backend can defer, otherwise by `manage.py
    search_replay_failed` (every 5 minutes from the scheduler). The row goes as soon as any sync of
    the object succeeds; while it exists, /healthz says so."""

    model_label = models.CharField(_("modèle"), max_length=100)
    object_pk = models.CharField(_("identifiant de l'objet"), max_length=64)
    doc_id = models.CharField(_("document"), max_length=160, blank=True)  # known for deleted objects
    attempts = models.PositiveIntegerField(_("tentatives"), default=1)
    error = models.CharField(_("dernière erreur"), max_length=500, blank=True)
    first_failed_at = models.DateTimeField(_("premier échec"))
    last_failed_at = models.DateTimeField(_("dernier échec"))
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model_label", "object_pk"], name="search_sync_failure_once")]
        ordering = ["first_failed_at", "id"]
        verbose_name = _("synchronisation en échec")
        verbose_name_plural = _("synchronisations en échec")

    def __str__(self):
        return f"{self.model_label}:{self.object_pk}"


class IndexRebuild(models.Model):
    """One run of `rebuild_search_index`. While it runs, every sync notes its objects in the journal
    (RebuildJournal) and also writes into the index being built (`target`); the rebuild replays the
    journal into it before the swap, so a write made during the rebuild is never lost and a delete
    is never undone by the bulk load. One rebuild at a time (the partial unique constraint); one
    whose heartbeat stops (a killed process) is abandoned by the next."""

    RUNNING, DONE, FAILED, ABANDONED = "running", "done", "failed", "abandoned"

    backend = models.CharField(max_length=20)
    target = models.CharField(max_length=200, blank=True)  # the new index (Elasticsearch); "" on the database
    state = models.CharField(max_length=10, default=RUNNING, choices=[
        (RUNNING, _("en cours")), (DONE, _("terminée")), (FAILED, _("en échec")), (ABANDONED, _("abandonnée"))])
    started_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    documents = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["state"], condition=models.Q(state="running"),
                                               name="search_one_rebuild_running")]

    def __str__(self):
        return f"{self.backend} rebuild {self.pk} ({self.state})"


class RebuildJournal(models.Model):
    """An object synced while a rebuild ran: replayed into the new index before it goes live."""

    rebuild = models.ForeignKey(IndexRebuild, on_delete=models.CASCADE, related_name="journal")
    model_label = models.CharField(max_length=100)
    object_pk = models.CharField(max_length=64)
    doc_id = models.CharField(max_length=160, blank=True)

    def __str__(self):
        return f"{self.model_label}:{self.object_pk}"
