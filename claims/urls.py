"""The pages' URLs: each area of the desk lists its own in its module."""

from claims.views import claims, dashboard, draft, flags, queues, sources, stories

urlpatterns = [
    *dashboard.urlpatterns,
    *claims.urlpatterns,
    *flags.urlpatterns,
    *stories.urlpatterns,
    *queues.urlpatterns,
    *sources.urlpatterns,
    *draft.urlpatterns,
]
