"""Contests and giveaways: a post of kind ``contest``, its official rules, entries and draw.

The seed is drawn when the contest is created and stays secret (only its SHA-256
commitment is shown) until the draw reveals it. One entry per person, or per person and
day, is a unique constraint on ``(contest, user, period)``: ``period`` is ``"once"`` for a
contest that takes one entry per person and the entrant's local date for a daily one.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from bedside.core.models import TimeStampedModel
from bedside.posts.models import Post
from bedside.practices.models import Practice

ONCE = "once"


class EntryType(models.TextChoices):
    SIMPLE = "simple", "A simple entry"
    ANSWER = "answer", "Answer a question"
    PHOTO = "photo", "Share a photo"


class Frequency(models.TextChoices):
    ONCE = "once", "One entry per person"
    DAILY = "daily", "One entry per person per day"


class Contest(TimeStampedModel):
    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="contest")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="contests")
    sponsor = models.CharField(
        max_length=200, help_text="Who runs the contest and gives the prize."
    )
    min_age = models.PositiveSmallIntegerField(default=18)
    region = models.CharField(max_length=200, help_text="Who may enter, e.g. residents of Oregon.")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64)
    entry_type = models.CharField(max_length=16, choices=EntryType.choices)
    question = models.CharField(max_length=300, blank=True)
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.ONCE)
    prize = models.CharField(max_length=200)
    prize_value = models.DecimalField(max_digits=9, decimal_places=2)
    currency = models.CharField(max_length=3, default="USD")
    winners_count = models.PositiveSmallIntegerField(default=1)
    alternates_count = models.PositiveSmallIntegerField(default=2)
    draw_by = models.DateTimeField(help_text="The winners are drawn by this time.")
    claim_days = models.PositiveSmallIntegerField(default=14)
    staff_may_enter = models.BooleanField(default=False)
    # The draw: secret seed and its public commitment, then what the draw published.
    seed = models.BinaryField(max_length=32, editable=False)
    seed_commitment = models.CharField(max_length=64, editable=False)
    closed_early_at = models.DateTimeField(
        null=True, blank=True, help_text="When staff closed entries before the planned end."
    )
    drawn_at = models.DateTimeField(null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entry_list = models.JSONField(default=list, blank=True, editable=False)
    entry_list_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    claim_deadline = models.DateTimeField(null=True, blank=True)
    entry_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="contest_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(draw_by__gte=F("closes_at")), name="contest_draws_after_closing"
            ),
            models.CheckConstraint(
                condition=Q(drawn_at__isnull=True) | Q(drawn_at__gte=F("closes_at")),
                name="contest_drawn_after_closing",
            ),
            models.CheckConstraint(condition=Q(winners_count__gte=1), name="contest_has_a_winner"),
        ]

    def __str__(self) -> str:
        return f"Contest {self.pk} ({self.post_id})"

    @property
    def is_drawn(self) -> bool:
        return self.drawn_at is not None

    @property
    def has_opened(self) -> bool:
        return self.opens_at <= timezone.now()

    @property
    def has_closed(self) -> bool:
        return self.closes_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        return self.has_opened and not self.has_closed

    @property
    def seed_hex(self) -> str:
        """The seed, only once the draw has revealed it."""
        return bytes(self.seed).hex() if self.is_drawn else ""


class Entry(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="entries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contest_entries"
    )
    public_id = models.CharField(max_length=16, help_text="Pseudonymous id in the entry list.")
    period = models.CharField(
        max_length=10, help_text='"once", or the local date of a daily entry.'
    )
    created_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(blank=True)
    photo = models.ImageField(
        upload_to="contests/%Y/%m/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True)
    photo_height = models.PositiveIntegerField(null=True, blank=True)
    photo_alt = models.CharField(max_length=300, blank=True)
    photo_consent = models.BooleanField(default=False, help_text="May publish the photo.")
    name_consent = models.BooleanField(default=False, help_text="May show their name if they win.")
    # Set by the draw: 0-based order of the pick (winners first, then alternates).
    draw_position = models.PositiveSmallIntegerField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "user", "period"], name="one_entry_per_person_and_period"
            ),
            models.UniqueConstraint(fields=["contest", "public_id"], name="entry_public_id_unique"),
            models.UniqueConstraint(
                fields=["contest", "draw_position"], name="one_entry_per_draw_position"
            ),
            models.CheckConstraint(
                condition=Q(photo="") | (Q(photo_consent=True) & ~Q(photo_alt="")),
                name="entry_photo_has_consent_and_alt",
            ),
            models.CheckConstraint(
                condition=Q(claimed_at__isnull=True) | Q(draw_position__isnull=False),
                name="only_drawn_entries_claim",
            ),
        ]

    def __str__(self) -> str:
        return f"Entry {self.public_id} in contest {self.contest_id}"
