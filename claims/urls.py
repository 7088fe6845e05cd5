"""The pages' URLs: each area of the desk lists its own in its module."""

from claims.views import (
    claims,
    dashboard,
    dossier,
    draft,
    exports,
    flags,
    incidents,
    notifications,
    queues,
    reviews,
    snapshots,
    sources,
    stories,
)

urlpatterns = [
    *dashboard.urlpatterns,
    *claims.urlpatterns,
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
]
