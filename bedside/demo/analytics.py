"""Months of Riverside's readership, so the analytics dashboard has something to say.

Written in bulk (``bulk_create``), not through services: it stands for five months of
patients reading and reacting, far more than the hand-made stories. It adds quiet followers
who joined over those months (growth), and for every published post the views of followers
who had joined by then, on the days after it went out, and their reactions, a few comments
and clicks on links. How much a post engages is drawn at random per post; non-medical posts
are drawn from a distribution that is somewhat more engaging, which is what the advice
Bedside is built on claims, but each post is its own honest draw, so the dashboard's
confidence interval has real noise to report. View hashes are random, as real ones become
once their day's salt is gone. Then the rollups are rebuilt from the raw tables.
"""

import random
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db.models import F
from django.utils import timezone

from bedside.analytics.models import LinkClick, PostView
from bedside.analytics.rollups import rebuild_all
from bedside.core.sanitizer import render_markdown
from bedside.demo import riverside
from bedside.posts.models import Comment, Post, Reaction, ReactionKind, Status, Topic
from bedside.practices.models import Membership, Practice, Role, User

FOLLOWERS = 260
HISTORY_DAYS = 150
# Mean share of the people who see a post that react to it, by topic (Beta-distributed).
ENGAGEMENT = {Topic.NON_MEDICAL: (5.0, 28.0), Topic.MEDICAL: (4.0, 30.0)}
COMMENTS = (
    "Thank you for sharing this!",
    "Good to know, thanks.",
    "Lovely to see the team.",
    "This was really helpful.",
    "Congratulations everyone!",
    "I'll mention this at my next visit.",
)
LINKS = (
    "https://www.cdc.gov/flu/",
    "https://medlineplus.gov/",
    "https://www.nih.gov/health-information",
)
FIRST = ("Alex", "Robin", "Sam", "Jo", "Chris", "Pat", "Lee", "Dana", "Kim", "Max", "Ari", "Noor")


def _followers(practice: Practice, rng: random.Random, now: datetime) -> list[Membership]:
    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                email=f"follower-{n}@{riverside.DEMO_DOMAIN}",
                full_name="",
                password=password,
                date_joined=now - timedelta(days=HISTORY_DAYS * (1 - (n / FOLLOWERS) ** 0.7)),
            )
            for n in range(FOLLOWERS)
        ]
    )
    memberships = Membership.objects.bulk_create(
        [
            Membership(
                user=user,
                practice=practice,
                role=Role.PATIENT,
                display_name=f"{rng.choice(FIRST)} {chr(65 + rng.randrange(26))}.",
                accepted_guidelines_at=user.date_joined,
            )
            for user in users
        ]
    )
    for user, membership in zip(users, memberships, strict=True):
        membership.created_at = user.date_joined
    Membership.objects.bulk_update(memberships, ["created_at"], batch_size=500)
    return memberships


def add_readership(*, seed: int = 2025) -> None:
    """Add the followers and their months of reading to Riverside, then roll it up."""
    rng = random.Random(seed)
    now = timezone.now()
    practice = Practice.objects.get(slug=riverside.SLUG)
    followers = _followers(practice, rng, now)
    posts = list(
        Post.objects.filter(practice=practice, status=Status.PUBLISHED).order_by("published_at")
    )
    views: list[PostView] = []
    reactions: list[tuple[Reaction, datetime]] = []
    comments: list[tuple[Comment, datetime]] = []
    clicks: list[LinkClick] = []
    for post in posts:
        published = post.published_at or now
        reach = rng.uniform(0.25, 0.6)
        alpha, beta = ENGAGEMENT[Topic(post.topic)]
        rate = rng.betavariate(alpha, beta)
        for membership in followers:
            if membership.created_at > published or rng.random() > reach:
                continue
            seen = published + timedelta(hours=rng.expovariate(1 / 20))
            if seen > now:
                continue
            day = seen.astimezone(UTC).date()
            viewer = secrets.token_hex(32)
            views.append(PostView(post=post, day=day, viewer=viewer, is_signed_in=True))
            if rng.random() < rate:
                kind = rng.choice(ReactionKind.values)
                at = seen + timedelta(minutes=rng.randrange(1, 30))
                reactions.append((Reaction(post=post, user=membership.user, kind=kind), at))
            if rng.random() < rate / 6:
                body = rng.choice(COMMENTS)
                at = seen + timedelta(minutes=rng.randrange(2, 60))
                comment = Comment(
                    post=post, author=membership.user, body=body, body_html=render_markdown(body)
                )
                comments.append((comment, at))
            if post.topic == Topic.MEDICAL and rng.random() < rate / 2:
                clicks.append(LinkClick(post=post, url=rng.choice(LINKS), day=day, viewer=viewer))
    PostView.objects.bulk_create(views, batch_size=2000)
    LinkClick.objects.bulk_create(clicks, batch_size=2000)
    _create_backdated(Reaction, reactions, ["created_at"])
    _create_backdated(Comment, comments, ["created_at", "updated_at"])
    _count_on_posts(reactions, comments)
    rebuild_all()


def _create_backdated(
    model: type[Reaction] | type[Comment],
    rows: Sequence[tuple[Reaction | Comment, datetime]],
    fields: list[str],
) -> None:
    """Create the rows, then move each to its moment (``auto_now_add`` stamps them now)."""
    manager: Any = model.objects
    made = manager.bulk_create([row for row, _ in rows], batch_size=2000)
    for row, (_, at) in zip(made, rows, strict=True):
        for name in fields:
            setattr(row, name, at)
    manager.bulk_update(made, fields, batch_size=1000)


def _count_on_posts(
    reactions: list[tuple[Reaction, datetime]], comments: list[tuple[Comment, datetime]]
) -> None:
    """Move each post's counters by the rows added here (as the services would have)."""
    added: dict[int, tuple[int, int]] = {}
    for reaction, _ in reactions:
        r, c = added.get(reaction.post_id, (0, 0))
        added[reaction.post_id] = (r + 1, c)
    for comment, _ in comments:
        r, c = added.get(comment.post_id, (0, 0))
        added[comment.post_id] = (r, c + 1)
    for post_id, (r, c) in added.items():
        Post.objects.filter(pk=post_id).update(
            reaction_count=F("reaction_count") + r, comment_count=F("comment_count") + c
        )
