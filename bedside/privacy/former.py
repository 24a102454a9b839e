"""The "Former member": who a deleted person's kept posts are shown as.

Comments and support-group posts point at an author (and, in groups, at the author's seat in
the practice). When someone deletes their account but keeps their posts, those rows move to
one inactive account that can never sign in, with a seat named "Former member" in each
practice that needs one; the person's own account and seats are then deleted for real.
The seat hears of nothing: its notification preferences switch every channel off.
"""

from django.db import transaction

from bedside.notify.models import NotificationPreference
from bedside.practices.models import Membership, Role, User

FORMER_MEMBER_EMAIL = "former-member@bedside.invalid"  # .invalid never delivers (RFC 2606)
FORMER_MEMBER_NAME = "Former member"


def former_member() -> User:
    """The one account kept posts are moved to (created the first time it is needed)."""
    user = User.objects.filter(email=FORMER_MEMBER_EMAIL).first()
    if user is not None:
        return user
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            email=FORMER_MEMBER_EMAIL,
            defaults={"full_name": FORMER_MEMBER_NAME, "is_active": False},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
    return user


def former_seat(practice_id: int) -> Membership:
    """The "Former member" seat in a practice, muted on every channel."""
    user = former_member()
    seat, created = Membership.objects.get_or_create(
        user=user,
        practice_id=practice_id,
        defaults={"role": Role.PATIENT, "display_name": FORMER_MEMBER_NAME},
    )
    if created:
        NotificationPreference.objects.update_or_create(
            user=user,
            practice_id=practice_id,
            defaults={"in_app": False, "email": False, "push": False},
        )
    return seat


def is_former_member(user: User) -> bool:
    return user.email == FORMER_MEMBER_EMAIL
