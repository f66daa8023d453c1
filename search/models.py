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
        ]
        verbose_name = _("document indexé")
        verbose_name_plural = _("documents indexés")

    def __str__(self):
        return self.doc_id


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
