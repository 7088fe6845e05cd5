"""The pages' URLs: each area of the desk lists its own in its module."""

from claims.views import (
    claims,
    dashboard,
    dossier,
    draft,
    exports,
    flags,
    incidents,
    merges,
    notifications,
    queues,
    reports,
    reviews,
    snapshots,
    sources,
    stories,
    topics,
)

urlpatterns = [
    *dashboard.urlpatterns,
    *claims.urlpatterns,
    *merges.urlpatterns,
    *flags.urlpatterns,
    *stories.urlpatterns,
    *queues.urlpatterns,
    *sources.urlpatterns,
    *draft.urlpatterns,
    *exports.urlpatterns,
    *snapshots.urlpatterns,
    *incidents.urlpatterns,
    *reviews.urlpatterns,
    *dossier.urlpatterns,
    *notifications.urlpatterns,
    *topics.urlpatterns,
    *reports.urlpatterns,
]
