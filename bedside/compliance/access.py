"""Loaders for authorizations: 404 alike for missing rows and another practice's rows."""

from bedside.compliance.models import Authorization
from bedside.core.errors import NotFound
from bedside.practices.models import Practice
from bedside.practices.permissions import Action, AnyUser, can


def access_authorization(
    viewer: AnyUser, practice: Practice, authorization_id: int
) -> Authorization:
    """The authorization if it is ``practice``'s and ``viewer`` manages authorizations there."""
    try:
        authorization = Authorization.objects.select_related(
            "practice", "created_by", "revoked_by"
        ).get(pk=authorization_id, practice=practice)
    except Authorization.DoesNotExist:
        raise NotFound("No such authorization.") from None
    if not can(viewer, Action.MANAGE_AUTHORIZATIONS, authorization):
        raise NotFound("No such authorization.")
    return authorization
