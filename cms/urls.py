"""The composition root: the one place that wires every app."""

from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from cms import health, legal, views
from cms.admin_help import superuser_report_urls
from cms.admin_scoping import localize_scoped_urls
from cms.api import opendata as api_opendata
from cms.api import views as api_views
from cms.api.wagtail import api_router
from cms.transactions import atomic_writes
from cms.validation import ids_in_range

api_patterns = [
    path("", api_views.api_root, name="api-root"),
    path("auth/token/", api_views.obtain_token, name="api-token"),
    path("me/", api_views.me, name="api-me"),
    path("opendata/", api_opendata.catalogue, name="api-opendata"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start script as a file: no inline script (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="security/swagger_ui.html"),
         name="api-docs"),
    path("v2/", api_router.urls),
    path("participation/", include("participation.api.urls")),
    path("bureau/", include("participation.bureau.api.urls")),
    path("commandements/", include("participation.commandements.api.urls")),
    path("occupai/", include("occupai.api.urls")),
    path("hackathon/", include("hackathon.api.urls")),
    path("bricolages/", include("bricolages.api.urls")),
    path("accueil/", include("accueil.api.urls")),
    path("guide/", include("guide.api.urls")),
    path("carnets/", include("guide.api.carnet_urls")),
    path("search/", include("search.api.urls")),
]

urlpatterns = [
    # Wagtail's own login would skip the second factor: everybody logs in through the account pages.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    *superuser_report_urls(),  # before Wagtail's admin: two reports that read the whole tree
    *localize_scoped_urls(),  # before Wagtail's admin: translations of one's own mairie's pages only
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("images/<path:name>", views.image_file, name="image-file"),
    path("compte/", include("cms.account_urls")),
    path("api/", include(api_patterns)),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("sitemap.xml", sitemap),
    # The conventions of a French public site (cms/legal.py), linked from every page's footer.
    path("accessibilite/", legal.accessibility, name="accessibility"),
    path("mentions-legales/", legal.legal_notice, name="legal-notice"),
    path("donnees-personnelles/", legal.privacy_policy, name="privacy-policy"),
    path("vie-privee/", RedirectView.as_view(pattern_name="privacy-policy", permanent=True)),  # the former demo page
    path("robots.txt", legal.robots_txt, name="robots-txt"),
    path(".well-known/security.txt", legal.security_txt, name="security-txt"),
    path("donnees-ouvertes/", include("cms.opendata_views")),
    path("", include("participation.urls")),
    path("", include("occupai.urls")),
    path("", include("hackathon.urls")),
    path("", include("bricolages.urls")),
    path("", include("accueil.urls")),
    path("", include("guide.urls")),
    path("", include("search.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include(wagtail_urls)))
# Every view: a request of a writing method runs in one transaction, reads in autocommit (cms.transactions);
# an id in the path past the largest a database holds is a 404 (cms.validation).
decorate_urlpatterns(urlpatterns, atomic_writes)
decorate_urlpatterns(urlpatterns, ids_in_range)
# The health endpoint for monitors (cms/health.py) is an asynchronous view (its checks run side by
# side), which those synchronous wrappers would break; it reads only, and takes no id.
urlpatterns.insert(0, path("healthz", health.healthz, name="healthz"))

handler400 = "cms.errorpages.bad_request"
handler403 = "cms.errorpages.permission_denied"
handler404 = "cms.errorpages.page_not_found"
handler500 = "cms.errorpages.server_error"
