"""Factories for tests and benchmarks. Prefer services for state that has rules."""

from tests.factories.posts import CommentFactory, PostFactory, PostImageFactory, image_bytes
from tests.factories.practices import (
    InvitationFactory,
    LocationFactory,
    MembershipFactory,
    PracticeFactory,
    StaffProfileFactory,
    UserFactory,
    member,
)

__all__ = [
    "CommentFactory",
    "InvitationFactory",
    "LocationFactory",
    "MembershipFactory",
    "PostFactory",
    "PostImageFactory",
    "PracticeFactory",
    "StaffProfileFactory",
    "UserFactory",
    "image_bytes",
    "member",
]
