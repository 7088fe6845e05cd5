import os
import threading

from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claim desk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_admins_get_new_permissions, sender=self)
        # The gazetteer takes a few seconds to index; web processes (which set
        # CLAIMS_WARM_UP=1 in the Procfiles) build it in the background at start
        # so that the first live reading of a claim does not wait for it. Tests,
        # commands and workers (whose scans read stored fields) skip it.
        if os.environ.get("CLAIMS_WARM_UP") == "1":
            from claims.parsing import warm_up

            threading.Thread(target=warm_up, name="gazetteer-warm-up", daemon=True).start()


def _admins_get_new_permissions(
    sender: AppConfig, using: str = "default", **kwargs: object
) -> None:
    """Admins hold every permission of the claims app, including those of models added
    after the roles were made (permissions are created after each migrate)."""
    from django.contrib.auth.models import Group, Permission

    from claims import roles

    admin = Group.objects.using(using).filter(name=roles.ADMIN).first()
    if admin is not None:
        perms = Permission.objects.using(using).filter(content_type__app_label="claims")
        admin.permissions.add(*perms)
