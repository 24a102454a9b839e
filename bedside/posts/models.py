"""The feed's envelope: posts, their images, and patients' reactions and comments.

Counters live on the post row and move with ``F()`` so a feed page never counts rows.
``body_html`` is rendered and sanitized by the service that writes ``body``; templates
only ever print the sanitized copy.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from bedside.core.models import TimeStampedModel
from bedside.practices.models import Practice, StaffProfile


class Kind(models.TextChoices):
    ARTICLE = "article", "Article"
    ANSWER = "answer", "Answer"
    TEAM = "team", "Team spotlight"
    OFFICE_LIFE = "office_life", "Office life"
    ANNOUNCEMENT = "announcement", "Announcement"
    EVENT = "event", "Event"
    POLL = "poll", "Poll"
    QUIZ = "quiz", "Quiz"
    CONTEST = "contest", "Contest"
    QUESTION = "question", "Question"
    INTERVIEW = "interview", "Interview"


# The kinds the composer offers today; the others arrive with their pillars.
COMPOSER_KINDS = (Kind.ANNOUNCEMENT, Kind.INTERVIEW, Kind.TEAM, Kind.OFFICE_LIFE)
# What ``create_post`` accepts: the composer's kinds, and events (written by their own page).
CREATABLE_KINDS = (
    *COMPOSER_KINDS, Kind.EVENT, Kind.ARTICLE, Kind.ANSWER, Kind.POLL, Kind.QUIZ, Kind.CONTEST,
)  # fmt: skip

# Kinds whose page belongs to their pillar app (RSVP, citations, voting…); URL names only,
# so posts never imports the pillar apps.
DETAIL_URL_OF_KIND = {
    Kind.EVENT: "event_detail",
    Kind.ARTICLE: "article_detail",
    Kind.ANSWER: "answer_detail",
    Kind.POLL: "poll_detail",
    Kind.QUIZ: "quiz_detail",
    Kind.CONTEST: "contest_detail",
}


class Pillar(models.TextChoices):
    """The five uses of social media that Bedside is built around (PRODUCT.md)."""

    TRUSTED_SOURCE = "trusted_source", "Trusted source"
    SUPPORT = "support", "Patients supporting each other"
    PEOPLE = "people", "The people behind the practice"
    INVOLVEMENT = "involvement", "Getting patients involved"
    SPREAD_THE_WORD = "spread_the_word", "Spreading the word"


PILLAR_OF_KIND: dict[str, Pillar] = {
    Kind.ARTICLE: Pillar.TRUSTED_SOURCE,
    Kind.ANSWER: Pillar.TRUSTED_SOURCE,
    Kind.TEAM: Pillar.PEOPLE,
    Kind.OFFICE_LIFE: Pillar.PEOPLE,
    Kind.ANNOUNCEMENT: Pillar.SPREAD_THE_WORD,
    Kind.EVENT: Pillar.SPREAD_THE_WORD,
    Kind.INTERVIEW: Pillar.SPREAD_THE_WORD,
    Kind.POLL: Pillar.INVOLVEMENT,
    Kind.QUIZ: Pillar.INVOLVEMENT,
    Kind.CONTEST: Pillar.INVOLVEMENT,
    Kind.QUESTION: Pillar.INVOLVEMENT,
}


class AnnouncementType(models.TextChoices):
    GENERAL = "general", "General news"
    ACCOMPLISHMENT = "accomplishment", "Accomplishment"
    AWARD = "award", "Award"
    NEW_SERVICE = "new_service", "New service"
    NEW_STAFF = "new_staff", "New staff"


class Topic(models.TextChoices):
    MEDICAL = "medical", "Medical"
    NON_MEDICAL = "non_medical", "Non-medical"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class Visibility(models.TextChoices):
    PUBLIC = "public", "Everyone"
    PATIENTS = "patients", "This practice's patients only"


class Post(TimeStampedModel):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="posts"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    topic = models.CharField(max_length=16, choices=Topic.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(editable=False)
    spotlight = models.ForeignKey(
        StaffProfile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="spotlights",
        help_text="The team member a team post is about.",
    )
    is_pinned = models.BooleanField(default=False)
    announcement_type = models.CharField(
        max_length=16, choices=AnnouncementType.choices, blank=True, default=""
    )
    # A video is either uploaded (checked by content, mp4 or webm) or embedded from
    # YouTube/Vimeo through the privacy-enhanced player URL that the service normalised.
    video = models.FileField(upload_to="videos/%Y/%m/", blank=True)
    video_embed_url = models.URLField(max_length=300, blank=True)
    transcript = models.TextField(blank=True, help_text="Markdown.")
    transcript_html = models.TextField(editable=False, blank=True)
    # Shown before the post on networks that fold content behind a warning (Mastodon's
    # spoiler text); elsewhere it heads the text.
    content_warning = models.CharField(max_length=200, blank=True)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    reaction_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["practice", "status", "-published_at", "-id"], name="post_feed"),
            # The due sweep: scheduled posts whose time has come.
            models.Index(fields=["scheduled_at"], condition=Q(status="scheduled"), name="post_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_post_has_published_at",
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(scheduled_at__isnull=False),
                name="scheduled_post_has_scheduled_at",
            ),
            # The practice page shows one pinned post; pin_post unpins the previous one.
            models.UniqueConstraint(
                fields=["practice"],
                condition=Q(is_pinned=True),
                name="one_pinned_post_per_practice",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        name = DETAIL_URL_OF_KIND.get(Kind(self.kind), "post_detail")
        return reverse(name, kwargs={"slug": self.practice.slug, "post_id": self.pk})

    @property
    def pillar(self) -> "Pillar":
        return PILLAR_OF_KIND[self.kind]

    @property
    def video_host(self) -> str:
        """Who serves the embedded video, named on the button that loads it."""
        return "Vimeo" if "vimeo.com" in self.video_embed_url else "YouTube"

    @property
    def is_scheduled(self) -> bool:
        return self.status == Status.SCHEDULED

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class PostImage(models.Model):
    """An image on a post; a post with several is a photo album."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="posts/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(max_length=500)
    caption = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Marked by staff when the picture shows a patient: it may then go public only with that
    # patient's written authorization attached to the post (the compliance guard).
    shows_patients = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="post_image_has_alt_text"),
        ]

    def __str__(self) -> str:
        return self.alt_text


class ReactionKind(models.TextChoices):
    LIKE = "like", "Like"
    HEART = "heart", "Love"
    CELEBRATE = "celebrate", "Celebrate"
    HELPFUL = "helpful", "Helpful"


class Reaction(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ReactionKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="one_reaction_of_a_kind"),
        ]
        indexes = [models.Index(fields=["user", "post"])]

    def __str__(self) -> str:
        return f"{self.kind} on {self.post_id}"


class Comment(TimeStampedModel):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField(max_length=2000)
    body_html = models.TextField(editable=False)
    is_hidden = models.BooleanField(default=False, help_text="Hidden by staff.")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["post", "created_at"])]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.post_id}"
