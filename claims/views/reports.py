"""The desk's report: time in each stage (waiting in New, worked in review, logged to
decision) by week, fact-checker or topic, as charts and a table, and the same table as
CSV. For fact-checkers and admins (`policy.Action.VIEW_REPORTS`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET

from claims import csvio, policy, selectors
from claims.errors import ActionForbidden
from claims.selectors import reports
from claims.stage_chart import stage_chart
from claims.stages import Stage, week_of

# A report opens on the last eight weeks, this one included.
DEFAULT_WEEKS = 8
# The desk's history starts long after this; dates before it are typing mistakes.
FIRST_YEAR = 2000


class ReportForm(forms.Form):
    """The report's filters, all in the URL. Dates are taken to whole weeks: the first
    to its Monday, the last to its Sunday."""

    start = forms.DateField(
        required=False,
        label=gettext_lazy("From week of"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        required=False,
        label=gettext_lazy("To week of"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    by = forms.ChoiceField(
        required=False, label=gettext_lazy("By"), choices=list(reports.GROUPINGS.items())
    )
    checker: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        required=False,
        label=gettext_lazy("Fact-checker"),
        queryset=None,
        empty_label=gettext_lazy("anyone"),
    )
    topic: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        required=False, label=gettext_lazy("Topic"), queryset=None, empty_label=gettext_lazy("any")
    )

    def __init__(self, data: Any, *, user: Any) -> None:
        super().__init__(data)
        # Set here, for the user asking: the form is made per request.
        self.fields["checker"].queryset = selectors.checker_list(user=user)  # type: ignore[attr-defined]
        self.fields["topic"].queryset = reports.report_topics(user=user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        for name in ("start", "end"):
            day = data.get(name)
            if day is not None and not FIRST_YEAR <= day.year <= today.year + 1:
                self.add_error(
                    name, gettext("Give a date from %(year)s to next year.") % {"year": FIRST_YEAR}
                )
        if self.errors:
            return data
        end = data.get("end") or today
        start = data.get("start") or week_of(end) - dt.timedelta(weeks=DEFAULT_WEEKS - 1)
        data["start"], data["end"] = week_of(start), week_of(end) + dt.timedelta(days=6)
        data["by"] = data.get("by") or reports.WEEK
        if data["start"] > data["end"]:
            self.add_error("end", gettext("The last week must not come before the first."))
        elif (data["end"] - data["start"]).days // 7 + 1 > reports.MAX_WEEKS:
            self.add_error(
                "start",
                gettext("A report covers %(weeks)s weeks at most.") % {"weeks": reports.MAX_WEEKS},
            )
        return data


def _report(request: HttpRequest) -> tuple[ReportForm, reports.StageReport | None]:
    """The form and, when its filters are valid, the report they ask for."""
    try:
        policy.check_role(request.user, policy.Action.VIEW_REPORTS)
    except ActionForbidden as exc:
        raise PermissionDenied(exc.message) from exc
    form = ReportForm(request.GET, user=request.user)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    report = reports.stage_report(
        user=request.user,
        first_day=data["start"],
        last_day=data["end"],
        by=data["by"],
        checker=data["checker"],
        topic=data["topic"],
    )
    return form, report


@require_GET
@login_required
def stage_report(request: HttpRequest) -> HttpResponse:
    form, report = _report(request)
    charts = []
    if report is not None:
        charts = [
            stage_chart(
                f"stage-{stage}",
                gettext("%(stage)s, by %(grouping)s")
                % {"stage": stage.label, "grouping": str(reports.GROUPINGS[report.by]).lower()},
                [(row.label, row.cell(stage)) for row in report.rows],
            )
            for stage in Stage
        ]
    others = request.GET.copy()
    others.pop("by", None)
    ctx = {
        "form": form,
        # The tabs keep every filter but the grouping.
        "tab_query": others.urlencode(),
        "report": report,
        "charts": charts,
        "groupings": reports.GROUPINGS,
        "query": request.GET.urlencode(),
    }
    return render(request, "claims/reports.html", ctx, status=400 if report is None else 200)


@require_GET
@login_required
def stage_report_csv(request: HttpRequest) -> HttpResponse:
    """The report's table as CSV, with the page's filters."""
    form, report = _report(request)
    if report is None:
        return HttpResponse(
            gettext("A filter of this download is not valid: open the report to see which."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    name = f"stage-times-{report.by}-{report.first_day:%Y%m%d}-{report.last_day:%Y%m%d}.csv"
    return csvio.csv_response(name, reports.report_columns(), reports.report_csv_rows(report))


urlpatterns = [
    path("reports/", stage_report, name="stage_report"),
    path("reports/export.csv", stage_report_csv, name="stage_report_csv"),
]
