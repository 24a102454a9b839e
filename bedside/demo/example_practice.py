"""Builds the example practices through the services, one step per method.

Used by ``bedside/demo/seeding.py``; the data comes from ``riverside.py`` and ``stories.py``.
"""

import random
from collections.abc import Iterator
from datetime import time, timedelta
from io import BytesIO

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bedside.demo import artwork, riverside, stories
from bedside.posts.models import Comment, Post, Reaction, ReactionKind, Status
from bedside.posts.services import ImageUpload, add_comment, create_post, publish_post, react
from bedside.practices.models import Membership, Practice, Role, StaffProfile, User
from bedside.practices.services import (
    HoursSpan,
    LocationDetails,
    PracticeDetails,
    StaffDetails,
    TeamPlacement,
    create_invitation,
    join_practice,
    save_location,
    save_staff_profile,
    update_practice_profile,
)


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    content_type = "image/png" if name.endswith(".png") else "image/jpeg"
    return SimpleUploadedFile(name, content, content_type=content_type)


def _spans(hours: list[tuple[int, str, str]]) -> list[HoursSpan]:
    return [
        HoursSpan(
            weekday=day, opens_at=time.fromisoformat(opens), closes_at=time.fromisoformat(closes),
            index=index,
        )
        for index, (day, opens, closes) in enumerate(hours)
    ]  # fmt: skip


class ExamplePracticeBuilder:
    """One run of the seed; holds the accounts and posts it made along the way."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.now = timezone.now()
        self.password = make_password(riverside.DEMO_PASSWORD)
        self.staff: dict[Role, User] = {}
        self.patients: list[User] = []

    def run(self) -> None:
        practice = self._found(riverside.PRACTICE, slug=riverside.SLUG, owner=riverside.LOGINS[0])
        self.staff[Role.OWNER] = self.owner
        for location in riverside.LOCATIONS:
            self._location(practice, self.owner, location)
        self._staff_logins(practice)
        profiles = self._team(practice, self.owner, riverside.TEAM)
        self._patients(practice)
        posts = self._posts(practice, profiles)
        self._engage(posts)
        self._second_practice()

    # --- the practice, its places and people ------------------------------------------

    def _user(self, email: str, name: str, joined_days_ago: float) -> User:
        return User.objects.create(
            email=email,
            full_name=name,
            password=self.password,
            date_joined=self.now - timedelta(days=joined_days_ago),
        )

    def _found(self, details: dict[str, str], *, slug: str, owner: riverside.Login) -> Practice:
        self.owner = self._user(owner.email, owner.name, 130)
        practice = Practice.objects.create(slug=slug, name=details["name"])
        Membership.objects.create(
            user=self.owner,
            practice=practice,
            role=Role.OWNER,
            display_name=owner.display_name,
            accepted_guidelines_at=self.now,
        )
        fields = {k: v for k, v in details.items() if k != "slug"}
        return update_practice_profile(
            by=self.owner,
            practice=practice,
            details=PracticeDetails(**fields),  # type: ignore[arg-type]
            logo=_upload("logo.png", artwork.logo(details["name"])),
        )

    def _location(self, practice: Practice, by: User, place: tuple[object, ...]) -> None:
        name, street, city, region, postal_code, phone, hours = place
        save_location(
            by=by,
            practice=practice,
            details=LocationDetails(
                name=str(name),
                street=str(street),
                city=str(city),
                region=str(region),
                postal_code=str(postal_code),
                phone=str(phone),
                position=practice.locations.count(),
            ),
            hours=_spans(hours),  # type: ignore[arg-type]
        )

    def _staff_logins(self, practice: Practice) -> None:
        """Each staff login joins with a one-use staff invitation from the owner."""
        for login in riverside.LOGINS[1:]:
            if login.role == Role.PATIENT:
                continue
            invitation = create_invitation(
                by=self.owner,
                practice=practice,
                label=f"Staff seat: {login.name}",
                role=login.role,
                max_uses=1,
            )
            user = self._user(login.email, login.name, 125)
            join_practice(
                user=user,
                practice=practice,
                display_name=login.display_name,
                accepted_guidelines=True,
                invitation=invitation,
            )
            self.staff[login.role] = user

    def _team(
        self, practice: Practice, by: User, team: tuple[riverside.TeamMember, ...]
    ) -> list[StaffProfile]:
        seats = {
            m.role: m
            for m in Membership.objects.filter(practice=practice).exclude(role=Role.PATIENT)
        }
        profiles = []
        for position, member in enumerate(team):
            details = StaffDetails(
                name=member.name,
                role_title=member.role_title,
                credentials=member.credentials,
                specialties=member.specialties,
                languages=member.languages,
                bio=member.bio,
                life_outside=member.life_outside,
                fun_fact=member.fun_fact,
                photo_alt=member.photo_alt,
            )
            profiles.append(
                save_staff_profile(
                    by=by,
                    practice=practice,
                    details=details,
                    photo=_upload("portrait.jpg", artwork.portrait(member.name)),
                    placement=TeamPlacement(
                        membership=seats.get(member.login) if member.login else None,
                        position=position,
                    ),
                )
            )
        return profiles

    def _patients(self, practice: Practice) -> None:
        """Half join with the front-desk QR code, the rest from the public page."""
        front_desk = create_invitation(
            by=self.staff[Role.EDITOR],
            practice=practice,
            label="Front desk QR code",
            role="patient",
        )
        create_invitation(
            by=self.staff[Role.EDITOR],
            practice=practice,
            label="Waiting-room poster",
            role="patient",
        )
        demo = riverside.LOGINS[-1]
        people = [(demo.email, demo.name, demo.display_name)]
        people += [
            (f"patient{i + 1}@{riverside.DEMO_DOMAIN}", name, name)
            for i, name in enumerate(riverside.PATIENT_NAMES)
        ]
        for i, (email, name, display_name) in enumerate(people):
            user = self._user(email, name, 118 - i * 2)
            join_practice(
                user=user,
                practice=practice,
                display_name=display_name,
                accepted_guidelines=True,
                invitation=front_desk if i % 2 == 0 else None,
            )
            self.patients.append(user)

    # --- posts, reactions and comments --------------------------------------------------

    def _posts(self, practice: Practice, profiles: list[StaffProfile]) -> list[Post]:
        posts = [self._post(practice, stories.WELCOME, is_pinned=True)]
        for story in stories.STORIES:
            posts.append(self._post(practice, story))
        for i, profile in enumerate(profiles):
            posts.append(self._spotlight(practice, profile, days_ago=115 - i * 9.3))
        return [p for p in posts if p.status == Status.PUBLISHED]

    def _post(
        self,
        practice: Practice,
        story: stories.Story,
        *,
        is_pinned: bool = False,
        spotlight: StaffProfile | None = None,
    ) -> Post:
        author = self.staff[story.author]
        images = [
            ImageUpload(BytesIO(data), len(data), picture.alt_text, picture.caption)
            for picture, data in self._pictures(story)
        ]
        post = create_post(
            by=author,
            practice=practice,
            kind=story.kind,
            topic=story.topic,
            title=story.title,
            body=story.body,
            visibility="patients" if story.patients_only else "public",
            spotlight=spotlight,
            is_pinned=is_pinned,
            images=images,
        )
        if story.is_draft:
            Post.objects.filter(pk=post.pk).update(
                created_at=self.now - timedelta(hours=self.rng.uniform(2, 48))
            )
            return post
        publish_post(by=author, post=post)
        at = self.now - timedelta(days=story.days_ago, hours=self.rng.uniform(0, 6))
        Post.objects.filter(pk=post.pk).update(
            published_at=at, created_at=at - timedelta(hours=3), updated_at=at
        )
        post.published_at = at
        return post

    def _pictures(self, story: stories.Story) -> Iterator[tuple[stories.Picture, bytes]]:
        for i, picture in enumerate(story.pictures):
            yield picture, artwork.office_scene(picture.scene, f"{story.title}:{i}")

    def _spotlight(self, practice: Practice, profile: StaffProfile, *, days_ago: float) -> Post:
        body = stories.SPOTLIGHT_TEMPLATE.format(
            name=profile.display_name,
            role_title_lower=profile.role_title[:1].lower() + profile.role_title[1:],
            bio=profile.bio,
            life_outside=profile.life_outside,
            fun_fact=profile.fun_fact,
            first_name=_first_name(profile.name),
            profile_url=profile.get_absolute_url(),
        )
        story = stories.Story(
            "team", "non_medical", f"Meet the team: {profile.name}", body, days_ago
        )
        return self._post(practice, story, spotlight=profile)

    def _engage(self, posts: list[Post]) -> None:
        """Patients react to most posts and leave kind comments on many."""
        kinds = [ReactionKind.LIKE, ReactionKind.HEART, ReactionKind.CELEBRATE]
        for post in posts:
            assert post.published_at is not None
            for user in self.rng.sample(self.patients, self.rng.randint(3, 18)):
                kind = ReactionKind.HELPFUL if post.topic == "medical" else self.rng.choice(kinds)
                react(user=user, post=post, kind=kind)
            Reaction.objects.filter(post=post).update(created_at=post.published_at)
            for minutes, user in enumerate(self.rng.sample(self.patients, self.rng.randint(0, 4))):
                comment = add_comment(user=user, post=post, body=self._comment_text(post))
                at = post.published_at + timedelta(hours=1 + minutes * 5)
                Comment.objects.filter(pk=comment.pk).update(created_at=at, updated_at=at)

    def _comment_text(self, post: Post) -> str:
        if post.spotlight is not None and self.rng.random() < 0.6:
            template = self.rng.choice(stories.SPOTLIGHT_COMMENTS)
            return template.format(first_name=_first_name(post.spotlight.name))
        fitting = list(stories.COMMENTS)
        if post.topic == "medical":
            fitting += stories.MEDICAL_COMMENTS
        elif post.kind == "announcement":
            fitting += stories.ANNOUNCEMENT_COMMENTS
        if post.images.exists():
            fitting += stories.PHOTO_COMMENTS
        return self.rng.choice(fitting)

    # --- a second practice, so that the directory and tenant isolation show -------------

    def _second_practice(self) -> None:
        details = dict(riverside.SECOND_PRACTICE)
        slug = details.pop("slug")
        practice = self._found(details, slug=slug, owner=riverside.SECOND_OWNER)
        self._location(practice, self.owner, riverside.SECOND_LOCATION)
        self._team(practice, self.owner, riverside.SECOND_TEAM)
        for i, (kind, topic, title, body) in enumerate(riverside.SECOND_POSTS):
            post = create_post(
                by=self.owner,
                practice=practice,
                kind=kind,
                topic=topic,
                title=title,
                body=body,
                visibility="public",
            )
            publish_post(by=self.owner, post=post)
            at = self.now - timedelta(days=40 - i * 9)
            Post.objects.filter(pk=post.pk).update(published_at=at, created_at=at)
        names = dict(
            Membership.objects.filter(user__in=self.patients).values_list("user_id", "display_name")
        )
        for user in self.patients[:: max(1, len(self.patients) // 8)]:
            join_practice(
                user=user, practice=practice, display_name=names[user.pk], accepted_guidelines=True
            )


def _first_name(name: str) -> str:
    """How patients call someone: "Dr. Okafor" for physicians, else the first name."""
    words = name.split()
    return f"Dr. {words[-1]}" if words[0] == "Dr." else words[0]
