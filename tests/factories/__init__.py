"""Factories for tests and benchmarks. Prefer services for state that has rules."""

from tests.factories.compliance import PDF_BYTES, AuthorizationFactory
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
from tests.factories.privacy import BusyPatient, busy_patient
from tests.factories.syndication import ChannelFactory, DeliveryFactory

__all__ = [
    "PDF_BYTES",
    "AuthorizationFactory",
    "BusyPatient",
    "ChannelFactory",
    "CommentFactory",
    "DeliveryFactory",
    "InvitationFactory",
    "LocationFactory",
    "MembershipFactory",
    "PostFactory",
    "PostImageFactory",
    "PracticeFactory",
    "StaffProfileFactory",
    "UserFactory",
    "busy_patient",
    "image_bytes",
    "member",
]
