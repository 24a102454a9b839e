"""The privacy page and its three rights: download my data, change my email, delete me."""

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bedside.core.errors import Conflict, Invalid
from bedside.practices.models import User
from bedside.privacy.forms import DeleteAccountForm
from bedside.privacy.services import (
    delete_account,
    export_my_data,
    prepare_email_change,
    sole_owned_practices,
)


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
@require_GET
def privacy_home(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/home.html", {"email": _signed_in(request).email})


@login_required
@require_POST
def download_my_data(request: HttpRequest) -> FileResponse:
    archive = export_my_data(user=_signed_in(request))
    response = FileResponse(
        archive.file, as_attachment=True, filename=archive.filename, content_type="application/zip"
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def change_my_email(request: HttpRequest) -> HttpResponse:
    prepare_email_change(user=_signed_in(request))
    return redirect("account_email")


@login_required
@require_http_methods(["GET", "POST"])
def delete_my_account(request: HttpRequest) -> HttpResponse:
    user = _signed_in(request)
    form = DeleteAccountForm(request.POST or None)
    refusal = ""
    if request.method == "POST" and form.is_valid():
        try:
            delete_account(
                user=user, password=form.cleaned_data["password"], keep_posts=form.keeps_posts
            )
        except Invalid as error:
            form.add_error(error.field, error.message)
        except Conflict as error:
            refusal = error.message
        else:
            logout(request)
            return redirect("privacy_deleted")
    context = {
        "form": form,
        "refusal": refusal,
        "sole_owned": sole_owned_practices(user),
    }
    status = 422 if form.errors else 409 if refusal else 200
    return render(request, "privacy/delete.html", context, status=status)


@require_GET
def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/deleted.html")
