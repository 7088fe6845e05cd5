"""The three roles of the desk, as Django groups.

Roles are groups so that an admin can grant them in the admin. What each role may
do to a claim (in which state, and whether only as its assignee) is the table in
`claims.policy`, which the services enforce and the pages and API ask. The Django
permissions attached to the groups by the `0002_create_roles` data migration govern
the admin and the registers (sources, stories, flags).
"""

from __future__ import annotations

from claims.typing import Actor

EDITOR = "Editor"
CHECKER = "Fact-checker"
ADMIN = "Admin"

# Permission codenames (app "claims") per role. Admins get every claims
# permission plus the auth ones they need to manage users.
EDITOR_PERMS = (
    "view_claim",
    "add_claim",
    "change_claim",
    "retract_claim",
    "view_story",
    "add_story",
    "change_story",
    "view_source",
    "view_place",
    "add_place",
    "view_evidence",
    "add_evidence",
    "delete_evidence",
    "view_comment",
    "add_comment",
    "view_flag",
)
CHECKER_PERMS = (
    "view_claim",
    "change_claim",
    "decide_claim",
    "retract_claim",
    "assign_claim",
    "view_story",
    "view_source",
    "view_place",
    "add_place",
    "view_evidence",
    "add_evidence",
    "delete_evidence",
    "view_comment",
    "add_comment",
    "view_flag",
    "change_flag",
)


def role_names(user: Actor) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached.add(ADMIN)
        # Cached on the user for the rest of the request: a page asks many times.
        user._role_names = cached  # type: ignore[union-attr]
    return cached


def is_admin(user: Actor) -> bool:
    return ADMIN in role_names(user)


def is_checker(user: Actor) -> bool:
    return CHECKER in role_names(user) or is_admin(user)


def is_editor(user: Actor) -> bool:
    return EDITOR in role_names(user) or is_admin(user)


def has_role(user: Actor) -> bool:
    return bool(role_names(user))
