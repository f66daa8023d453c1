"""Account pages: sign-up, email confirmation, the account page. Login, logout and password
reset are Django's own views with our templates."""

import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import privacy, roles
from .forms import SignupForm
from .mairies import mairie_exempt, mairie_for_request
from .ratelimit import ratelimit
from .services import user_confirm_email, user_signup


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("account")
    form = SignupForm(request.POST or None, initial={"mairie": mairie_for_request(request)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user_signup(username=data["username"], email=data["email"], password=data["password1"],
                        mairie=data["mairie"], display_name=data["display_name"],
                        base_url=request.build_absolute_uri("/"))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                field = {"password": "password1"}.get(field, field)
                form.add_error(field if field in form.fields else None, errors)
        else:
            return render(request, "registration/signup_done.html", {"email": data["email"]})
    status = 400 if request.method == "POST" else 200
    return render(request, "registration/signup.html", {"form": form}, status=status)


def signup_confirm(request, token):
    try:
        user = user_confirm_email(token=token)
    except ValidationError as exc:
        return render(request, "registration/confirm_failed.html", {"reason": exc.messages[0]}, status=400)
    if not request.user.is_authenticated:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Votre adresse e-mail est confirmée. Bienvenue !"))
    return redirect("account")


@login_required
def account(request):
    user = request.user
    role_labels = [role for role in roles.ALL_ROLES if roles.has_role(user, role)]
    return render(request, "account/account.html", {"role_labels": role_labels})


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


@mairie_exempt
@transaction.non_atomic_requests  # not even a savepoint when a transaction is already open (tests)
def bare(request):
    """No database, no template: the ceiling the benchmarks compare every page against."""
    return HttpResponse(b"ok", content_type="text/plain")
