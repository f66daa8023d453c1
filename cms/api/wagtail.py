from django.utils.translation import gettext as _
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from cms.images import public_images
from cms.validation import MAX_ID

SEARCH_OPERATORS = ("and", "or")


class CheckedParametersMixin:
    """Query parameters Wagtail passes on unchecked are refused with a 400 (in Wagtail's error
    shape), not a 500: a `search_operator` other than and/or (the search backend raises
    ValueError), an `offset` beyond what a database can count (SQLite: datatype mismatch)."""

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        params = self.request.GET
        if params.get("search_operator") not in (None, *SEARCH_OPERATORS):
            raise BadRequestError(_("search_operator vaut « and » ou « or »."))
        offset = params.get("offset", "")
        if offset.isascii() and offset.isdigit() and int(offset) > MAX_ID // 2:
            raise BadRequestError(_("offset est trop grand."))


class CheckedPagesAPIViewSet(CheckedParametersMixin, PagesAPIViewSet):
    """`?locale=` as the site reads languages (cms.i18n): any case (`zh-Hans`), and an unknown code is
    French, with a 200, rather than Wagtail's 404."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        code = request.GET.get("locale")
        if code is not None:
            from django.conf import settings

            from cms.i18n import content_languages

            params = request._request.GET.copy()
            code = code.strip().lower()
            params["locale"] = code if code in content_languages() else settings.LANGUAGE_CODE
            request._request.GET = params


class CheckedDocumentsAPIViewSet(CheckedParametersMixin, DocumentsAPIViewSet):
    pass


class PublicImagesAPIViewSet(CheckedParametersMixin, ImagesAPIViewSet):
    """Only the images an anonymous visitor may see, whoever asks (cms.images): pictures of
    agents-only, draft or hidden things are reached through their own object's API, never listed."""

    def get_queryset(self):
        return public_images(super().get_queryset())


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", CheckedPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", CheckedDocumentsAPIViewSet)
