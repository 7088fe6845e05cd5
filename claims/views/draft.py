"""Check a draft before publishing: every claim the parser finds in it, matched
against what the desk already knows (claims.draftcheck)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from claims import draftcheck, language, roles
from claims.forms import DraftCheckForm


@require_http_methods(["GET", "POST"])
@login_required
def draft_check(request: HttpRequest) -> HttpResponse:
    """The check only reads, but a pasted story is too long for a URL: it is a POST
    answered with the report, and the copy stays in the form to edit and check again."""
    if not roles.has_role(request.user):
        raise PermissionDenied("Your account has no role on the desk.")
    if request.method != "POST":
        form = DraftCheckForm(initial={"reported_on": timezone.localdate()})
        return render(request, "claims/draft.html", {"form": form})
    form = DraftCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("The draft was not checked: see the fields below."))
        return render(request, "claims/draft.html", {"form": form}, status=400)
    report = draftcheck.draft_check(
        user=request.user,
        text=form.cleaned_data["text"],
        reported_on=form.cleaned_data["reported_on"],
    )
    unread = language.unread_message(language.detect(form.cleaned_data["text"]))
    ctx = {"form": form, "report": report, "unread": unread}
    return render(request, "claims/draft.html", ctx)


urlpatterns = [
    path("draft/", draft_check, name="draft_check"),
]
