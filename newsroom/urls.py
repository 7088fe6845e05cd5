from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from newsroom.login import AdminLoginForm, LoginForm

# The admin's login page says when an account is locked, as the desk's does.
admin.site.login_form = AdminLoginForm

# The split view serves Swagger UI's start-up script from its own URL (`?script`), so
# the page runs under a policy that allows no inline script; the template drops the
# inline <style> too. Both are for signed-in readers: the others are sent to log in.
api_docs = login_required(
    SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html")
)

urlpatterns = [
    path("admin/", admin.site.urls),
    # The language switcher posts here (Django's set_language: a cookie, then back).
    path("i18n/", include("django.conf.urls.i18n")),
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/v1/", include("claims.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("", include("claims.urls")),
]
