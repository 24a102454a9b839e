"""Template context every page needs: the signed-in user's practices, for the header."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from bedside.practices.models import Membership


def memberships(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_memberships": []}

    def load() -> list[Membership]:
        return list(
            Membership.objects.filter(user=user)
            .select_related("practice")
            .order_by("practice__name")
        )

    # Lazy: pages that never render the practice switcher run no query for it.
    return {"my_memberships": SimpleLazyObject(load)}
