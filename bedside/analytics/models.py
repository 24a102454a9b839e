"""What analytics records and what it rolls up.

Raw rows are private by construction: a ``PostView`` or ``LinkClick`` holds the post, the
UTC day and a viewer hash — an HMAC of the user id (or, for a visitor, the session key) under
that day's random salt, which the sweep deletes once the day is over, so yesterday's hashes
can no longer be linked to anyone or to today's. No IP address and no user agent is stored.

Rollups are small tables the dashboard reads: ``PostDay`` (one row per post and UTC day,
with the post's kind and topic copied so per-kind, per-topic and per-channel sums are one
``GROUP BY`` over it) and ``PracticeDay`` (new followers per practice and day). They are
rebuilt day by day from the raw tables; ``Watermark`` remembers, per source table, the
highest id already seen, so a run only revisits the days that received new rows and a rerun
recomputes (never adds to) what it had.
"""

from django.db import models

from bedside.posts.models import Kind, Post, Topic
from bedside.practices.models import Practice


class DailySalt(models.Model):
    """The secret that viewer hashes of one UTC day are keyed with; deleted after the day."""

    day = models.DateField(unique=True)
    salt = models.BinaryField(max_length=32)

    def __str__(self) -> str:
        return f"salt of {self.day}"


class PostView(models.Model):
    """One viewer read one post on one day (counted once, whatever the reloads)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    viewer = models.CharField(max_length=64, help_text="HMAC of the viewer under the day's salt.")
    is_signed_in = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "day", "viewer"], name="one_view_per_day"),
        ]
        indexes = [models.Index(fields=["day", "post"], name="post_view_day")]

    def __str__(self) -> str:
        return f"view of {self.post_id} on {self.day}"


class LinkClick(models.Model):
    """A click on a link in a post, through the signed redirect; once per viewer, link, day."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    url = models.URLField(max_length=500)
    day = models.DateField()
    viewer = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "url", "day", "viewer"], name="one_click_per_link_and_day"
            ),
        ]
        indexes = [models.Index(fields=["day", "post"], name="link_click_day")]

    def __str__(self) -> str:
        return f"click on {self.url}"


class PostDay(models.Model):
    """One post's activity on one UTC day."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    topic = models.CharField(max_length=16, choices=Topic.choices)
    # Reach by channel.
    views = models.PositiveIntegerField(default=0, help_text="Web: distinct viewers that day.")
    signed_in_views = models.PositiveIntegerField(default=0)
    in_app = models.PositiveIntegerField(default=0, help_text="In-app notifications created.")
    emails = models.PositiveIntegerField(default=0, help_text="Emails sent.")
    pushes = models.PositiveIntegerField(default=0, help_text="Pushes sent.")
    # Engagement.
    reactions = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    votes = models.PositiveIntegerField(default=0)
    quiz_plays = models.PositiveIntegerField(default=0)
    contest_entries = models.PositiveIntegerField(default=0)
    rsvps = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "day"], name="one_rollup_per_post_and_day"),
        ]
        indexes = [models.Index(fields=["practice", "day"], name="post_day_practice")]

    def __str__(self) -> str:
        return f"post {self.post_id} on {self.day}"

    @property
    def interactions(self) -> int:
        return (
            self.reactions
            + self.comments
            + self.votes
            + self.quiz_plays
            + self.contest_entries
            + self.rsvps
            + self.clicks
        )


class PracticeDay(models.Model):
    """New followers (patient memberships) of one practice on one UTC day."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    new_followers = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "day"], name="one_rollup_per_practice_and_day"
            ),
        ]

    def __str__(self) -> str:
        return f"practice {self.practice_id} on {self.day}"


class Watermark(models.Model):
    """The highest id of a raw table that the rollups have already seen."""

    source = models.CharField(max_length=64, unique=True)
    last_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.source} through {self.last_id}"
