from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BureauConfig(AppConfig):
    name = "participation.bureau"
    verbose_name = _("Bureau de l'intelligence citoyenne")

    def ready(self):
        from cms import roles
        from cms.images import register_private_collection
        from participation.features import plug_in
        from participation.notification_kinds import Kind

        from . import demo, opendata, permissions, selectors, setup
        from .models import IMAGE_COLLECTION, Project
        from .search import ProjectAdapter

        plug_in(self, summary=_("Vous avez une idée pour le quartier ? La mairie l'accompagne, de l'idée au lancement."),
                order=30, url=_section_url, participatory={Project: selectors.project_is_visible},
                api=("projects",), demo=(30, demo.seed), set_up=setup.set_up, search=[ProjectAdapter()], opendata=opendata.DATASETS,
                notifications={"status": Kind.DECISION, "edited": Kind.FOLLOWED, "news": Kind.FOLLOWED})
        # Residents' project photos: seen as their project is (cms.images); listed by no images API.
        register_private_collection(IMAGE_COLLECTION, may_view=permissions.user_can_view_project_image)
        roles.grant(roles.ORGANISERS, "bureau.view_project")


def _section_url(request, mairie):
    from .selectors import index_page_for

    index = index_page_for(mairie)
    return index.get_url(request) if index else None
