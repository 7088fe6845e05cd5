"""The pages' URLs: each area of the desk lists its own in its module."""

from claims.views import desk, flags

urlpatterns = [
    *desk.urlpatterns,
    *flags.urlpatterns,
]
