"""Duplicates: merging a claim into the one that stays (fact-checkers, from the claim's
page), and "same claim" for a story's candidate: the claims it may repeat, shown before
it is accepted, and the link that makes the story carry one of them instead."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from claims import selectors, services
from claims.errors import DomainError
from claims.forms import CandidateForm
from claims.models import MAX_ID, Claim, Story
from claims.selectors.similar import similar_to_candidate
from claims.views.claims import _claim_or_404, _render_claim
from claims.views.common import error_text
from claims.views.stories import _page_url, _story_context, _story_or_404


class ClaimMergeForm(forms.Form):
    into = forms.IntegerField(
        min_value=1, max_value=MAX_ID, label=gettext_lazy("The claim that stays (its number)")
    )
    note = forms.CharField(label=gettext_lazy("Why (optional)"), max_length=2000, required=False)
    confirm = forms.BooleanField(
        label=gettext_lazy("These are the same claim: merge them"),
        error_messages={"required": gettext_lazy("Tick the box to confirm the merge.")},
    )


class CandidateLinkForm(CandidateForm):
    claim = forms.IntegerField(min_value=1, max_value=MAX_ID)


@require_POST
@login_required
def claim_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Fold this claim into the one the fact-checker names, after they confirm; the
    page of the claim that stays answers."""
    claim = _claim_or_404(request, pk)
    data = request.POST.copy()
    # A claim picked from its flags' list, or a number typed: the number, when both.
    picked = [value for value in data.getlist("into") if value.strip()]
    data["into"] = picked[-1] if picked else ""
    form = ClaimMergeForm(data)
    if not form.is_valid():
        messages.error(request, gettext("The claims were not merged: check the merge form."))
        return _render_claim(request, claim, status=400, merge_form=form)
    try:
        survivor = services.claim_merge(
            claim=claim,
            into=form.cleaned_data["into"],
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        for name, errors in exc.errors.items():
            form.add_error(name if name in form.fields else None, errors)
        messages.error(request, error_text(exc))
        claim = _claim_or_404(request, pk)
        return _render_claim(request, claim, status=exc.status_code, merge_form=form)
    messages.success(
        request, gettext("Claim #%(pk)s is merged into this claim.") % {"pk": claim.pk}
    )
    return redirect(survivor)


@require_GET
@login_required
def candidate_similar(request: HttpRequest, pk: int) -> HttpResponse:
    """The claims a story's candidate may repeat, with "same claim" for editors: a part
    of the candidate's card for htmx, a page of its own otherwise."""
    story = _story_or_404(request, pk)
    form = CandidateForm(request.GET)
    if not form.is_valid():
        return HttpResponse(gettext("Name a candidate by its start and end."), status=400)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    try:
        similar = similar_to_candidate(user=request.user, story=story, start=start, end=end)
    except KeyError as exc:
        raise Http404(gettext("No candidate there.")) from exc
    partial = bool(getattr(request, "htmx", False))
    ctx = {
        "story": story,
        "start": start,
        "end": end,
        "similar": similar,
        "can_link": request.user.has_perm("claims.add_claim"),
        "back": _page_url(story, 1, "", (start, end)),
    }
    template = "claims/_similar_candidate.html" if partial else "claims/_similar_page.html"
    return render(request, template, ctx)


@require_POST
@login_required
def candidate_link(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Same claim": the candidate's words are linked to a claim the desk has, and no new
    claim is logged. Back to the story's page at the candidate, or that page again with
    the reason it was refused."""
    story = _story_or_404(request, pk)
    form = CandidateLinkForm(request.POST)
    if not form.is_valid():
        return _refused(
            request, story, form, gettext("Name the candidate and the claim it repeats."), 400
        )
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    try:
        claim = selectors.claim_get(user=request.user, pk=form.cleaned_data["claim"])
    except Claim.DoesNotExist:
        form.add_error("claim", gettext("No such claim."))
        return _refused(request, story, form, gettext("No claim has that number."), 400)
    try:
        services.candidate_link(story=story, start=start, end=end, claim=claim, actor=request.user)
    except DomainError as exc:
        return _refused(request, story, form, error_text(exc), exc.status_code)
    messages.success(
        request,
        gettext("Linked to claim #%(pk)s: no new claim was logged.") % {"pk": claim.pk},
    )
    return redirect(_page_url(story, 1, "", (start, end)))


def _refused(
    request: HttpRequest, story: Story, form: CandidateForm, error: str, status: int
) -> HttpResponse:
    messages.error(request, error)
    ctx = _story_context(request, story, focus=form.key())
    return render(request, "claims/story.html", ctx, status=status)


urlpatterns = [
    path("claims/<int:pk>/merge/", claim_merge, name="claim_merge"),
    path("stories/<int:pk>/similar/", candidate_similar, name="candidate_similar"),
    path("stories/<int:pk>/link/", candidate_link, name="candidate_link"),
]
