"""Account pages: the account page, the API token, the personal data. Sign-up, login, logout, email and
password are django-allauth's views (cms/account_urls.py) with the platform's templates."""

import json

from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import images, privacy, roles, second_factor, sections
from .mairies import mairie_exempt, mairie_for_request
from .ratelimit import ratelimit
from .services import user_tokens_revoke
from .storage import IMAGE_FOLDERS
from .uploads import serve_checked_file


class SignupView(allauth_views.SignupView):
    """allauth's sign-up, the home mairie chosen by default as the one whose site the visitor is on."""

    def get_initial(self):
        return {**super().get_initial(), "mairie": mairie_for_request(self.request)}


@login_required
def account(request):
    user = request.user
    role_labels = [role for role in roles.ALL_ROLES if roles.has_role(user, role)]
    return render(request, "account/account.html", {
        "role_labels": role_labels, "account_panels": sections.account_panels(request), "api_token": _api_token(user),
        "second_factor": second_factor.has_second_factor(user),
        "second_factor_required": second_factor.second_factor_required(user),
        "franceconnect": bool(settings.FRANCECONNECT_CLIENT_ID)})


def _api_token(user):
    """The account's API token, as the account page shows it: when it was made and when it stops working
    (never its key: it was given once, to whoever asked /api/auth/token/)."""
    from rest_framework.authtoken.models import Token

    from cms.api.auth import expires_at, is_expired

    token = Token.objects.filter(user=user).first()
    if token is None:
        return None
    return {"created": token.created, "expires": expires_at(token), "expired": is_expired(token)}


@login_required
@require_POST
def api_token_revoke(request):
    """Revoke the account's API token: whatever holds it is refused from now on."""
    count = user_tokens_revoke(user=request.user)
    if count:
        messages.success(request, _("Votre jeton d'accès à l'API est révoqué."))
    else:
        messages.info(request, _("Vous n'aviez pas de jeton d'accès à l'API."))
    return redirect("account")


@login_required
@require_GET
@never_cache
@ratelimit("export", key="user", methods=("GET",))
def privacy_export(request):
    """All the user's data as a JSON file (RGPD: right of access and portability)."""
    data = privacy.export_user_data(request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"mes-donnees-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def privacy_delete(request):
    """Delete one's account (RGPD: right to erasure), confirmed with the password."""
    user = request.user
    if user.is_superuser:
        messages.error(request, _("Un compte administrateur ne peut pas être supprimé ici : "
                                  "demandez à un·e autre administrateur·rice."))
        return redirect("account")
    form = privacy.AccountDeletionForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        privacy.account_delete(user=user)
        logout(request)
        messages.success(request, _("Votre compte est supprimé. Vos données personnelles sont effacées ; "
                                    "vos soutiens restent comptés, sans votre nom."))
        return redirect("/")
    return render(request, "privacy/delete_account.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@require_GET
@mairie_exempt
def image_file(request, name):
    """A Wagtail image's original or rendition (cms.storage.ImageStorage), to those who may see what
    it illustrates (cms.images.user_can_view_image); 404 to everyone else, as for a missing file.
    What an anonymous visitor may see is cacheable by any cache; the rest is `private, no-store`."""
    image = images.image_for_file(name) if name.startswith(IMAGE_FOLDERS) and ".." not in name.split("/") else None
    if image is None:
        raise Http404
    public = images.user_can_view_image(AnonymousUser(), image)
    if not public and not images.user_can_view_image(request.user, image):
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except OSError as exc:
        raise Http404 from exc
    response = serve_checked_file(request, handle, filename=name.rsplit("/", 1)[-1], inline=True)
    if public:
        response["Cache-Control"] = "public, max-age=3600"
    return response


def set_language(request):
    """Django's `set_language` (the switcher on every page), with a `next` that is a path of this site
    only: a full address, even of this host, `//host` or `/\\host` sends the visitor home instead.
    An unknown language sets nothing (Django's `check_for_language`): the page stays in French."""
    from django.views.i18n import set_language as django_set_language

    target = request.POST.get("next") or request.GET.get("next") or ""
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        target = "/"
    post, get = request.POST.copy(), request.GET.copy()
    post.pop("next", None)
    get["next"] = target
    request.POST, request.GET = post, get
    return django_set_language(request)
