import factory
from django.utils import timezone

from bedside.core.sanitizer import render_markdown
from bedside.practices.models import (
    Invitation,
    Location,
    Membership,
    Practice,
    Role,
    StaffProfile,
    User,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice

    slug = factory.Sequence(lambda n: f"practice-{n}")
    name = factory.Sequence(lambda n: f"Riverside Clinic {n}")
    specialty = "Family medicine"
    about = "We care for families across the valley."
    about_html = factory.LazyAttribute(lambda o: render_markdown(o.about))
    phone = "(555) 010-2000"
    booking_url = "https://booking.example.org/riverside"
    welcome_message = "Welcome! We are glad you are here."
    welcome_html = factory.LazyAttribute(lambda o: render_markdown(o.welcome_message))
    guidelines = "Be kind. Share no one's private health details."
    guidelines_html = factory.LazyAttribute(lambda o: render_markdown(o.guidelines))
    is_open_signup = True


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    practice = factory.SubFactory(PracticeFactory)
    name = "Main office"
    street = "12 River Road"
    city = "Springfield"
    region = "IL"
    postal_code = "62701"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    practice = factory.SubFactory(PracticeFactory)
    role = Role.PATIENT
    display_name = factory.Sequence(lambda n: f"Member {n}")
    accepted_guidelines_at = factory.LazyFunction(timezone.now)


def member(practice: Practice, role: Role = Role.PATIENT, **kwargs: object) -> User:
    """A new user holding ``role`` in ``practice``."""
    membership = MembershipFactory(practice=practice, role=role, **kwargs)
    return membership.user


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    practice = factory.SubFactory(PracticeFactory)
    label = "Front desk"
    role = Role.PATIENT


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

    practice = factory.SubFactory(PracticeFactory)
    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"staff-{n}")
    role_title = "Family physician"
    credentials = "MD"
    bio = "Cares for patients of every age."
    bio_html = factory.LazyAttribute(lambda o: render_markdown(o.bio))
