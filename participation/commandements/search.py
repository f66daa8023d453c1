"""How the charter joins the platform's search: the charter page, each published commandement
and the public amendments (audience public, on their mairie). No personal data: an amendment's
document carries its wording and reasons, never its author."""

from django.utils.translation import gettext_lazy as _

from search.documents import PUBLIC, SearchDocument
from search.registry import SearchAdapter

from .models import Amendment, CharterPage, Commandement


class CharterAdapter(SearchAdapter):
    type = "commandements.charter"
    label = _("Charte des 19 commandements")
    model = CharterPage

    def queryset(self):
        return CharterPage.objects.all().select_related("mairie")

    def document(self, obj):
        if not obj.live or obj.is_hidden:
            return None
        titles = " ".join(f"{c.number}. {c.title}." for c in obj.ordered_commandements())
        return SearchDocument(
            type=self.type, id=self.document_id(obj), mairie=obj.mairie.slug, audience=PUBLIC,
            title=obj.title, body=f"{obj.search_text()} {titles}".strip(), url=obj.path_on_site(),
            tags=["charte"], date=obj.last_published_at)


class CommandementAdapter(SearchAdapter):
    type = "commandements.commandement"
    label = _("Commandement")
    model = Commandement

    def queryset(self):
        return Commandement.objects.all().select_related("page__mairie")

    def document(self, obj):
        page = obj.page
        if page is None or not page.live or page.is_hidden:
            return None
        return SearchDocument(
            type=self.type, id=self.document_id(obj), mairie=page.mairie.slug, audience=PUBLIC,
            title=str(_("Commandement %(n)d : %(title)s") % {"n": obj.number, "title": obj.title}),
            body=f"{obj.mairie_commitment} {obj.resident_commitment}",
            url=page.subpage_path("commandement", obj.number), tags=["charte"], date=page.last_published_at)


class AmendmentAdapter(SearchAdapter):
    type = "commandements.amendment"
    label = _("Amendement à la charte")
    model = Amendment

    def queryset(self):
        return Amendment.objects.all().select_related("charter__mairie", "mairie")

    def document(self, obj):
        if obj.is_hidden or obj.status == Amendment.Status.WITHDRAWN or not obj.charter.live:
            return None
        proposed = " ".join(p for p in (obj.proposed_title, obj.proposed_mairie_commitment,
                                        obj.proposed_resident_commitment) if p)
        body = f"{proposed} {obj.rationale}"
        if obj.status == Amendment.Status.REJECTED and obj.decision_reason:
            body += f" {obj.decision_reason}"
        return SearchDocument(
            type=self.type, id=self.document_id(obj), mairie=obj.mairie.slug, audience=PUBLIC,
            title=str(_("Amendement au commandement %(n)d") % {"n": obj.number}), body=body,
            url=obj.get_absolute_url(), tags=["charte", "amendement"], status=obj.get_status_display(),
            date=obj.created_at)


ADAPTERS = [CharterAdapter(), CommandementAdapter(), AmendmentAdapter()]
