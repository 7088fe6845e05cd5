"""Topics: the list and a topic's page with follow and unfollow, and the topics panel of
a claim and of a story (tags, and for a story the suggestions its claims make).

The panels load after their page (htmx) and answer their own forms, so the claim and
story pages cost nothing more for them; without JavaScript each is a page of its own."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims import policy, selectors, services
from claims.errors import DomainError, InvalidInput
from claims.models import Claim, Story, Topic
from claims.views.common import error_text, get_or_404, safe_next

# A topic's page lists its latest claims and stories, this many of each; the queues
# (`?topic=`) list them all.
LATEST = 20


class TopicsForm(forms.Form):
    """Every topic the claim or story should carry (ticked), and why."""

    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(max_length=2000, required=False)


class AddTopicForm(forms.Form):
    """One suggested topic, accepted."""

    add = forms.ModelChoiceField(queryset=Topic.objects.all())


def _topic_or_404(request: HttpRequest, pk: int) -> Topic:
    return get_or_404(selectors.topic_get, gettext("No such topic."), user=request.user, pk=pk)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@require_GET
@login_required
def topic_list(request: HttpRequest) -> HttpResponse:
    """Every topic with its claims and a follow button; admins keep the list."""
    topics = list(selectors.topic_list(user=request.user))
    return render(request, "claims/topics.html", {"topics": topics})


@require_GET
@login_required
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic_or_404(request, pk)
    params = {"topic": topic.name, "ordering": "-created"}
    ctx = {
        "topic": topic,
        "claims": list(selectors.claim_list(user=request.user, params=params)[:LATEST]),
        "stories": list(topic.stories.order_by("-published_at", "-id")[:LATEST]),
        "queues": [(q.name, q.label) for q in selectors.QUEUES.values()],
    }
    return render(request, "claims/topic.html", ctx)


def _follow(request: HttpRequest, pk: int, *, follow: bool) -> HttpResponse:
    topic = _topic_or_404(request, pk)
    write = services.topic_follow if follow else services.topic_unfollow
    write(topic=topic, actor=request.user)
    if follow:
        messages.success(
            request,
            gettext("You follow %(topic)s: new high flags in it reach you.")
            % {"topic": topic.name},
        )
    else:
        messages.success(
            request, gettext("You no longer follow %(topic)s.") % {"topic": topic.name}
        )
    return redirect(safe_next(request) or topic.get_absolute_url())


@require_POST
@login_required
def topic_follow(request: HttpRequest, pk: int) -> HttpResponse:
    return _follow(request, pk, follow=True)


@require_POST
@login_required
def topic_unfollow(request: HttpRequest, pk: int) -> HttpResponse:
    return _follow(request, pk, follow=False)


# ---------------------------------------------------------------------------
# The panels of a claim and of a story


def _panel(
    request: HttpRequest,
    template: str,
    ctx: dict[str, Any],
    *,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    """The panel alone for htmx; otherwise a page of its own around it."""
    ctx = {**ctx, "error": error, "partial": _is_htmx(request), "panel": template}
    page = template if _is_htmx(request) else "claims/topic_panel.html"
    return render(request, page, ctx, status=status)


def _claim_ctx(request: HttpRequest, claim: Claim, form: TopicsForm | None = None) -> Any:
    tags = selectors.claim_topics(claim)
    may_tag = policy.allows(request.user, policy.Action.TAG, claim)
    return {
        "claim": claim,
        "tags": tags,
        "may_tag": may_tag,
        "choices": selectors.topic_choices() if may_tag else [],
        "ticked": {t.pk for t in tags} if form is None else _ticked(form),
    }


def _ticked(form: forms.Form) -> set[int]:
    # As ticked in the refused form, so the editor sees their choice again.
    return {int(pk) for pk in form["topics"].value() or [] if str(pk).isdigit()}


def _refusal(form: forms.Form, message: str) -> DomainError:
    errors = {name: [str(m) for m in msgs] for name, msgs in form.errors.items()}
    return InvalidInput(message, errors=errors)


@require_http_methods(["GET", "POST"])
@login_required
def claim_topics(request: HttpRequest, pk: int) -> HttpResponse:
    """A claim's topics; editors and admins tick the ones it carries."""
    claim = get_or_404(selectors.claim_get, gettext("No such claim."), user=request.user, pk=pk)
    template = "claims/_topic_claim.html"
    if request.method == "GET":
        return _panel(request, template, _claim_ctx(request, claim))
    form = TopicsForm(request.POST)
    try:
        # The role before the input: a role that may not tag hears that, whatever it sent.
        policy.check_role(request.user, policy.Action.TAG)
        if not form.is_valid():
            raise _refusal(form, gettext("Tick topics from the list."))
        services.claim_set_topics(
            claim=claim,
            actor=request.user,
            topics=form.cleaned_data["topics"],
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        ctx = _claim_ctx(request, claim, form)
        return _panel(request, template, ctx, status=exc.status_code, error=error_text(exc))
    if not _is_htmx(request):
        messages.success(request, gettext("Topics saved."))
        return redirect(claim)
    return _panel(request, template, {**_claim_ctx(request, claim), "saved": True})


def _story_ctx(request: HttpRequest, story: Story, form: forms.Form | None = None) -> Any:
    tags = selectors.story_topics(story)
    may_tag = services.may_tag_stories(request.user)
    return {
        "story": story,
        "tags": tags,
        "may_tag": may_tag,
        "choices": selectors.topic_choices() if may_tag else [],
        "suggestions": selectors.story_topic_suggestions(story=story) if may_tag else [],
        "ticked": {t.pk for t in tags} if not isinstance(form, TopicsForm) else _ticked(form),
    }


@require_http_methods(["GET", "POST"])
@login_required
def story_topics(request: HttpRequest, pk: int) -> HttpResponse:
    """A story's topics and the topics its claims suggest; an editor ticks the topics
    or accepts a suggestion with a click (`add`). A suggestion is never applied alone."""
    story = get_or_404(
        selectors.topic_story_get, gettext("No such story."), user=request.user, pk=pk
    )
    template = "claims/_topic_story.html"
    if request.method == "GET":
        return _panel(request, template, _story_ctx(request, story))
    adding = "add" in request.POST
    form: forms.Form = AddTopicForm(request.POST) if adding else TopicsForm(request.POST)
    try:
        policy.check_role(request.user, policy.Action.TAG)
        if not form.is_valid():
            raise _refusal(form, gettext("Choose topics from the list."))
        data = form.cleaned_data
        if adding:
            services.story_add_topic(story=story, actor=request.user, topic=data["add"])
        else:
            services.story_set_topics(
                story=story, actor=request.user, topics=data["topics"], note=data["note"]
            )
    except DomainError as exc:
        ctx = _story_ctx(request, story, form)
        return _panel(request, template, ctx, status=exc.status_code, error=error_text(exc))
    if not _is_htmx(request):
        messages.success(request, gettext("Topics saved."))
        return redirect(reverse("story_detail", args=[story.pk]) + "#topics")
    return _panel(request, template, {**_story_ctx(request, story), "saved": True})


urlpatterns = [
    path("topics/", topic_list, name="topic_list"),
    path("topics/<int:pk>/", topic_detail, name="topic_detail"),
    path("topics/<int:pk>/follow/", topic_follow, name="topic_follow"),
    path("topics/<int:pk>/unfollow/", topic_unfollow, name="topic_unfollow"),
    path("claims/<int:pk>/topics/", claim_topics, name="claim_topics"),
    path("stories/<int:pk>/topics/", story_topics, name="story_topics"),
]
