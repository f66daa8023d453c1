"""Who sees which documents: decided once here, translated by each backend into its own query.

Everyone (anonymous visitors, residents) sees the public documents of the mairie they search in
and the public platform-wide ones (mairie None). Agents, editors and organisers also see the
agents' documents (the Bricolages wiki), whichever mairie they come from. Adapters only emit
documents for published, non-hidden objects, so "public" here already means "may be shown".
"""

from dataclasses import dataclass

from cms import roles

from .analysis import FRENCH
from .documents import AGENTS, PUBLIC

ANY_MAIRIE = "*"


@dataclass(frozen=True)
class Grant:
    audience: str
    mairies: tuple  # slugs, None for platform-wide documents, or (ANY_MAIRIE,)

    @property
    def any_mairie(self):
        return ANY_MAIRIE in self.mairies


@dataclass(frozen=True)
class VisibilityFilter:
    """A union of grants: a document is visible when one grant matches its audience and mairie.

    With a `language`, only the documents in it are found, and the French ones of pages that have no
    document in it (not translated, or not published in it): a reader sees each page once, in their
    language when it exists. Everything but pages is written in French and always found."""

    grants: tuple[Grant, ...]
    language: str = ""

    def as_sql(self, alias="e"):
        """(SQL condition, params) on the SearchEntry columns; never empty (no grant -> nothing)."""
        sql, params = self._grants_sql(alias)
        if not self.language:
            return sql, params
        if self.language == FRENCH:
            return f"{sql} AND {alias}.language = %s", [*params, FRENCH]
        return (f"{sql} AND ({alias}.language = %s OR ({alias}.language = %s AND NOT EXISTS ("  # noqa: S608 (alias: ours; values: parameters)
                f"SELECT 1 FROM search_searchentry AS lang_o WHERE {alias}.translation_key <> '' "
                f"AND lang_o.translation_key = {alias}.translation_key AND lang_o.language = %s)))",
                [*params, self.language, FRENCH, self.language])

    def _grants_sql(self, alias):
        clauses, params = [], []
        for grant in self.grants:
            if grant.any_mairie:
                clauses.append(f"{alias}.audience = %s")
                params.append(grant.audience)
                continue
            mairie_parts = []
            slugs = [m for m in grant.mairies if m is not None]
            if slugs:
                mairie_parts.append(f"{alias}.mairie IN ({', '.join(['%s'] * len(slugs))})")
                params_for = slugs
            else:
                params_for = []
            if None in grant.mairies:
                mairie_parts.append(f"{alias}.mairie IS NULL")
            clauses.append(f"({alias}.audience = %s AND ({' OR '.join(mairie_parts) or '1 = 0'}))")
            params.extend([grant.audience, *params_for])
        if not clauses:
            return "1 = 0", []
        return "(" + " OR ".join(clauses) + ")", params

    def as_es(self):
        """The same condition as an Elasticsearch bool query, for the filter context. A French
        document knows its page's other languages (`translated_into`, written when it is indexed
        and again when a translation is published or unpublished: search.sync)."""
        grants = self._grants_es()
        if not self.language:
            return grants
        if self.language == FRENCH:
            return {"bool": {"filter": [grants, {"term": {"language": FRENCH}}]}}
        in_language = {"bool": {"should": [
            {"term": {"language": self.language}},
            {"bool": {"filter": [{"term": {"language": FRENCH}}],
                      "must_not": [{"term": {"translated_into": self.language}}]}},
        ], "minimum_should_match": 1}}
        return {"bool": {"filter": [grants, in_language]}}

    def _grants_es(self):
        should = []
        for grant in self.grants:
            if grant.any_mairie:
                should.append({"term": {"audience": grant.audience}})
                continue
            mairie_should = []
            slugs = [m for m in grant.mairies if m is not None]
            if slugs:
                mairie_should.append({"terms": {"mairie": slugs}})
            if None in grant.mairies:
                mairie_should.append({"bool": {"must_not": [{"exists": {"field": "mairie"}}]}})
            should.append({"bool": {"filter": [
                {"term": {"audience": grant.audience}},
                {"bool": {"should": mairie_should, "minimum_should_match": 1}},
            ]}})
        if not should:
            return {"bool": {"must_not": [{"match_all": {}}]}}
        return {"bool": {"should": should, "minimum_should_match": 1}}

    def allows(self, audience, mairie):
        """The same rule in Python (tests and the sanity check of each hit)."""
        return any(grant.audience == audience and (grant.any_mairie or mairie in grant.mairies)
                   for grant in self.grants)


def visibility_filter(user, mairie, language=None) -> VisibilityFilter:
    """THE rule: what `user` may find when searching on `mairie`'s site (a cms.Mairie or None), in
    `language` (the active language by default)."""
    from cms.i18n import active_language

    grants = [Grant(PUBLIC, (mairie.slug, None) if mairie is not None else (None,))]
    if roles.is_agent(user):
        grants.append(Grant(AGENTS, (ANY_MAIRIE,)))
    return VisibilityFilter(tuple(grants), language or active_language())
