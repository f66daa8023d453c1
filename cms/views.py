"""Account pages: sign-up, email confirmation, the account page. Login, logout and password
reset are Django's own views with our templates."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import roles
from .forms import SignupForm
from .mairies import mairie_for_request
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


def bare(request):
    """No database, no template: the ceiling the benchmarks compare every page against."""
    return HttpResponse(b"ok", content_type="text/plain")
