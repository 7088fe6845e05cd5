from typing import Any

from django.http import HttpRequest

from claims import roles


def desk_roles(request: HttpRequest) -> dict[str, Any]:
    """What the signed-in user's roles allow, so templates show only what works."""
    user = request.user
    return {
        "is_editor": roles.is_editor(user),
        "is_checker": roles.is_checker(user),
        "is_admin": roles.is_admin(user),
    }
