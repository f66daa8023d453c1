"""How Bureau projects become search documents (public ones only; never hidden or drafts)."""

from django.utils.translation import gettext_lazy as _

from search.documents import PUBLIC, SearchDocument
from search.registry import SearchAdapter

from .models import Project


class ProjectAdapter(SearchAdapter):
    type = "bureau.project"
    label = _("Projet du Bureau")
    model = Project

    def queryset(self):
        return Project.objects.select_related("mairie", "quartier").prefetch_related("tags")

    def document(self, project):
        if not project.is_public():
            return None
        return SearchDocument(
            type=self.type, id=self.document_id(project), mairie=project.mairie.slug, audience=PUBLIC,
            title=project.title, body=f"{project.summary}\n{project.description}", url=project.get_absolute_url(),
            tags=[t.name for t in project.tags.all()], quartier=project.quartier.slug if project.quartier_id else None,
            status=project.status, date=project.published_at,
        )
