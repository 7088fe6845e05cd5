"""A person's notifications: the bell in the nav, the list with read and unread, and
how they hear of each event by email."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_POST

from claims import roles, selectors, services
from claims.errors import DomainError
from claims.models import NotificationEvent, NotificationSetting
from claims.views.common import PAGE_SIZE, error_text, get_or_404


def _mine(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    read = selectors.notifications_of(user=request.user).get
    return get_or_404(read, "No such notification.", pk=pk)


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


def _list_page(request: HttpRequest, status: int = 200) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    rows = selectors.notifications_of(user=request.user, unread=unread_only)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    chosen = selectors.notification_settings(user=request.user)
    ctx = {
        "page": page,
        "unread_only": unread_only,
        "unread": selectors.unread_count(user=request.user),
        "settings": [
            (e, NotificationEvent(e).label, chosen[e])
            for e in chosen
            # Only admins are told of webhooks switched off.
            if e != NotificationEvent.WEBHOOK_OFF or roles.is_admin(request.user)
        ],
        "ways": NotificationSetting.How.choices,
    }
    return render(request, "claims/notifications.html", ctx, status=status)


@require_GET
@login_required
def notification_bell(request: HttpRequest) -> HttpResponse:
    """The bell's count, fetched by the page after it loads and every minute after: the
    pages themselves spend no query on it, and new work shows without a reload."""
    count = selectors.unread_count(user=request.user)
    return render(request, "claims/notifications_bell.html", {"unread": count})


@require_POST
@login_required
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    note = _mine(request, pk)
    services.notification_mark_read(actor=request.user, notification_ids=[note.pk])
    target = note.get_absolute_url()
    return redirect(target if request.POST.get("open") and target else "notification_list")


@require_POST
@login_required
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    marked = services.notification_mark_read(actor=request.user)
    messages.success(
        request,
        ngettext("%(n)d notification marked read.", "%(n)d notifications marked read.", marked)
        % {"n": marked},
    )
    return redirect("notification_list")


@require_POST
@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    choices = {e: request.POST[e] for e in NotificationEvent.values if e in request.POST}
    try:
        services.notification_settings_update(actor=request.user, choices=choices)
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return _list_page(request, status=exc.status_code)
    messages.success(request, gettext("Your email settings are saved."))
    return redirect("notification_list")


urlpatterns = [
    path("notifications/", notification_list, name="notification_list"),
    path("notifications/bell/", notification_bell, name="notification_bell"),
    path("notifications/read/", notifications_read_all, name="notifications_read_all"),
    path("notifications/settings/", notification_settings, name="notification_settings"),
    path("notifications/<int:pk>/read/", notification_read, name="notification_read"),
]
