"""The charter page's sub-pages (Wagtail RoutablePageMixin): every public view of the charter
lives under the page's own URL, so it follows the page and its mairie."""

from wagtail.contrib.routable_page.models import RoutablePageMixin, path


class CharterRoutesMixin(RoutablePageMixin):
    @path("", name="index")
    def index_route(self, request, *args, **kwargs):
        from . import views

        return views.charter_index(request, self)

    @path("commandement/<int:number>/", name="commandement")
    def commandement_route(self, request, number):
        from . import views

        return views.commandement_detail(request, self, number)

    @path("commandement/<int:number>/amender/", name="propose")
    def propose_route(self, request, number):
        from . import views

        return views.amendment_propose(request, self, number)

    @path("amendements/<int:pk>/", name="amendment")
    def amendment_route(self, request, pk):
        from . import views

        return views.amendment_detail(request, self, pk)

    @path("amendements/<int:pk>/<str:action>/", name="amendment-action")
    def amendment_action_route(self, request, pk, action):
        from . import views

        return views.amendment_action(request, self, pk, action)

    @path("signer/", name="sign")
    def sign_route(self, request):
        from . import views

        return views.charter_signature(request, self)

    @path("affiche/", name="poster")
    def poster_route(self, request):
        from . import views

        return views.charter_poster(request, self)

    @path("ecran/", name="screen")
    def screen_route(self, request):
        from . import views

        return views.charter_screen(request, self)

    def serve_preview(self, request, mode_name):
        from . import views

        request.is_preview = True
        if mode_name == "affiche":
            return views.charter_poster(request, self)
        if mode_name == "ecran":
            return views.charter_screen(request, self)
        return views.charter_index(request, self)
