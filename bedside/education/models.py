"""Pillar 1, the trusted source: articles with citations and clinical review, and patients'
questions answered in public.

An ``Article`` is a post of kind ``article`` plus what makes it trustworthy: a summary,
tags, citations, and a clinician's review. The review is current while the content it
signed off is unchanged (``reviewed_content_hash``) and its expiry (``review_due_at``) has
not passed; both are checked by ``bedside.education.publishing`` before the studio
publishes. A ``Question`` is a patient's private question; its ``Answer`` is a post of kind
``answer`` that shows the question rephrased, never the asker.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bedside.core.models import TimeStampedModel
from bedside.posts.models import Post
from bedside.practices.models import Practice

DEFAULT_REVIEW_MONTHS = 12


class EducationSettings(TimeStampedModel):
    """A practice's rules for publishing health information; a practice without a row
    uses the defaults."""

    practice = models.OneToOneField(
        Practice, on_delete=models.CASCADE, related_name="education_settings"
    )
    review_valid_months = models.PositiveSmallIntegerField(
        default=DEFAULT_REVIEW_MONTHS,
        help_text="How long a clinical review stays current before the article is reviewed again.",
    )
    require_review = models.BooleanField(
        default=True, help_text="Articles are published only with a current clinical review."
    )

    class Meta:
        verbose_name_plural = "education settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(review_valid_months__gte=1, review_valid_months__lte=60),
                name="review_valid_1_to_60_months",
            ),
        ]

    def __str__(self) -> str:
        return f"Education settings of {self.practice_id}"


class TrustedSource(models.Model):
    """A domain the practice trusts; its subdomains are trusted too."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="trusted_sources")
    domain = models.CharField(max_length=253, help_text="e.g. cdc.gov")
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "domain"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "domain"], name="one_trusted_domain"),
        ]

    def __str__(self) -> str:
        return self.domain


class Tag(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="tags")
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "slug"], name="one_tag_per_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class ArticleFormat(models.TextChoices):
    STANDARD = "standard", "Article"
    MYTH_FACT = "myth_fact", "Myth vs. fact"


class Article(TimeStampedModel):
    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="article")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="articles")
    format = models.CharField(
        max_length=16, choices=ArticleFormat.choices, default=ArticleFormat.STANDARD
    )
    summary = models.CharField(max_length=300)
    myth = models.CharField(max_length=300, blank=True, help_text="Myth vs. fact: the myth.")
    fact = models.CharField(max_length=300, blank=True, help_text="Myth vs. fact: the fact.")
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewer_name = models.CharField(
        max_length=200, blank=True, help_text="As shown: “Medically reviewed by …”."
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_content_hash = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of what the reviewer signed off."
    )
    review_due_at = models.DateTimeField(
        null=True, blank=True, help_text="When the review expires and the article is due again."
    )

    class Meta:
        indexes = [models.Index(fields=["practice", "review_due_at"], name="article_review_due")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(format="myth_fact") | (~Q(myth="") & ~Q(fact="")),
                name="myth_fact_article_has_myth_and_fact",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True)
                | (Q(review_due_at__isnull=False) & ~Q(reviewed_content_hash="")),
                name="reviewed_article_has_due_date_and_hash",
            ),
        ]

    def __str__(self) -> str:
        return f"Article {self.pk} ({self.post_id})"

    @property
    def is_myth_fact(self) -> bool:
        return self.format == ArticleFormat.MYTH_FACT


class Citation(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="citations")
    url = models.URLField(max_length=500)
    domain = models.CharField(max_length=253, help_text="The URL's host, lower case, no www.")
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200)
    accessed_on = models.DateField()
    position = models.PositiveSmallIntegerField(default=0)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The clinician who accepted a source outside the trusted list.",
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(url__startswith="https://") | Q(url__startswith="http://"),
                name="citation_url_is_http",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class QuestionStatus(models.TextChoices):
    NEW = "new", "Waiting for an answer"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed without a public answer"


class Question(TimeStampedModel):
    """A patient's private question. Only the asker and the practice's staff see it."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="questions")
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="questions"
    )
    body = models.TextField(max_length=2000)
    status = models.CharField(
        max_length=16, choices=QuestionStatus.choices, default=QuestionStatus.NEW
    )
    staff_note = models.TextField(
        max_length=2000, blank=True, help_text="A private word to the asker when closed."
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    asker_told_at = models.DateTimeField(
        null=True, blank=True, help_text="When the asker was told their answer is ready."
    )
    publication_declined_at = models.DateTimeField(
        null=True, blank=True, help_text="The asker asked us not to publish the answer."
    )

    class Meta:
        indexes = [
            models.Index(fields=["practice", "status", "created_at"], name="question_queue"),
            models.Index(
                fields=["answered_at"],
                condition=Q(answered_at__isnull=False, asker_told_at__isnull=True),
                name="question_asker_to_tell",
            ),
        ]

    def __str__(self) -> str:
        return f"Question {self.pk}"

    @property
    def publication_declined(self) -> bool:
        return self.publication_declined_at is not None


class Answer(TimeStampedModel):
    """An ``answer`` post; ``question_text`` is the question rephrased without identifiers."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="answer")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="answers")
    question = models.OneToOneField(
        Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="answer"
    )
    question_text = models.TextField(max_length=1000)
    tags = models.ManyToManyField(Tag, blank=True, related_name="answers")

    def __str__(self) -> str:
        return f"Answer {self.pk} ({self.post_id})"
