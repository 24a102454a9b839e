"""The identifier guard on the publishing side: may this post go public as it stands?

``findings_for(post)`` reads every word staff publish with a post — title, body,
transcript, each image's alt text and caption, and the public texts of its pillar row
(``compliance.texts``: an article's summary, a quiz's questions, …) — through
``bedside.screening.identifiers``
(the practice's own phone numbers, email and street addresses exempted), and counts each
image marked ``shows_patients`` as a finding of its own.

A post with findings passes only when

- an override given by a compliance-role user still matches the post's content (its
  fingerprint: any edit to words, pictures or video voids it), or
- the active (unrevoked, unexpired) authorizations attached to it together cover what was
  found: a patient's name needs ``name``; any other identifier in the text needs ``story``;
  a picture showing patients needs ``photo``; and a post that carries a video (uploaded or
  linked) and has any finding also needs ``video``, since nothing here can look inside the
  video and it most likely shows the person the words are about.

The studio calls ``check_publishable`` before it publishes, schedules or approves, and
``publish_problems`` when a scheduled post falls due.
"""

import hashlib
import json
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from bedside.compliance import texts as pillar_texts
from bedside.compliance.models import Authorization, Cover, IdentifierOverride, PostAuthorization
from bedside.core.errors import Invalid
from bedside.posts.models import Post, PostImage
from bedside.practices.models import Practice
from bedside.screening import identifiers

NAME_KIND = "name"
PICTURE_KIND = "picture"
PICTURE_LABEL = "picture showing patients"

COVER_WORDS = {
    Cover.NAME: "their name",
    Cover.STORY: "their story",
    Cover.PHOTO: "photos of them",
    Cover.VIDEO: "video of them",
}

Segment = tuple[str, Any]


@dataclass(frozen=True)
class PostFinding:
    """One identifier in a post: where it is, what kind, and which cover it needs."""

    where: str
    kind: str
    label: str
    text: str
    needs: Cover


@dataclass(frozen=True)
class Passage:
    """A piece of a post's text with what the identifier guard found in it."""

    where: str
    text: str
    findings: tuple[Any, ...]

    def segments(self) -> list[Segment]:
        """(text, finding or None) pieces, for a template to wrap findings in ``<mark>``."""
        return highlight(self.text, self.findings)


def practice_today(practice: Practice) -> date:
    """Authorizations run to the end of their last day in the practice's own time zone."""
    try:
        zone = zoneinfo.ZoneInfo(practice.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.localdate(timezone=zone)


def public_details(practice: Practice) -> list[str]:
    """What the practice publishes about itself on purpose: never a finding."""
    values = [practice.phone, practice.email]
    for location in practice.locations.all():
        values += [location.phone, location.street]
    return [value for value in values if value]


def _images(post: Post) -> list[PostImage]:
    return list(post.images.all())


def passages_for(
    post: Post,
    images: list[PostImage] | None = None,
    pillar: list[tuple[str, str]] | None = None,
) -> list[Passage]:
    """Every text of ``post`` that holds an identifier, with its findings."""
    ignore = public_details(post.practice)
    texts = [("title", post.title), ("body", post.body), ("transcript", post.transcript)]
    for number, image in enumerate(_images(post) if images is None else images, start=1):
        texts += [
            (f"picture {number} description", image.alt_text),
            (f"picture {number} caption", image.caption),
        ]
    texts += pillar_texts.texts_of(post) if pillar is None else pillar
    passages = []
    for where, text in texts:
        found = tuple(identifiers.find(text, ignore=ignore)) if text else ()
        if found:
            passages.append(Passage(where=where, text=text, findings=found))
    return passages


def _needs(kind: str) -> Cover:
    return Cover.NAME if kind == NAME_KIND else Cover.STORY


def _findings(passages: list[Passage], images: list[PostImage]) -> list[PostFinding]:
    findings = [
        PostFinding(
            where=passage.where,
            kind=str(found.kind),
            label=found.label,
            text=found.text,
            needs=_needs(str(found.kind)),
        )
        for passage in passages
        for found in passage.findings
    ]
    for number, image in enumerate(images, start=1):
        if image.shows_patients:
            findings.append(
                PostFinding(
                    where=f"picture {number}",
                    kind=PICTURE_KIND,
                    label=PICTURE_LABEL,
                    text=image.alt_text,
                    needs=Cover.PHOTO,
                )
            )
    return findings


def findings_for(post: Post) -> list[PostFinding]:
    """What in ``post`` could identify a patient: text identifiers and pictures of patients."""
    images = _images(post)
    return _findings(passages_for(post, images, pillar_texts.texts_of(post)), images)


def needed_covers(post: Post, findings: Iterable[PostFinding]) -> set[Cover]:
    needed = {finding.needs for finding in findings}
    if needed and (post.video or post.video_embed_url):
        needed.add(Cover.VIDEO)
    return needed


def attached_authorizations(post: Post) -> list[Authorization]:
    links = PostAuthorization.objects.filter(post=post).select_related("authorization")
    return [link.authorization for link in links.order_by("attached_at", "id")]


def active_covers(authorizations: Iterable[Authorization], today: date) -> set[Cover]:
    return {
        Cover(value)
        for authorization in authorizations
        if authorization.is_active_on(today)
        for value in authorization.covers
        if value in Cover.values
    }


def fingerprint(
    post: Post,
    images: list[PostImage] | None = None,
    pillar: list[tuple[str, str]] | None = None,
) -> str:
    """A digest of everything the guard reads, and of the video: an override's anchor."""
    pictures = [
        [image.pk, image.image.name, image.alt_text, image.caption, image.shows_patients]
        for image in (_images(post) if images is None else images)
    ]
    content = [
        post.title,
        post.body,
        post.transcript,
        pictures,
        post.video.name if post.video else "",
        post.video_embed_url,
    ]
    pillar = pillar_texts.texts_of(post) if pillar is None else pillar
    if pillar:
        # Left out when empty, so overrides of plain posts given before still hold.
        content.append([list(text) for text in pillar])
    raw = json.dumps(content, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(raw).hexdigest()


def matching_override(
    post: Post,
    images: list[PostImage] | None = None,
    pillar: list[tuple[str, str]] | None = None,
) -> IdentifierOverride | None:
    """The latest override that still speaks for the post as it is now, if any."""
    latest = IdentifierOverride.objects.filter(post=post).select_related("by").order_by("-at")
    current = fingerprint(post, images, pillar)
    return next((override for override in latest if override.fingerprint == current), None)


@dataclass(frozen=True)
class Review:
    """The guard's whole reading of one post, made in a fixed number of queries whatever
    its size: four, and as many as its pillar row's levels (a quiz: three more)."""

    passages: list[Passage]
    findings: list[PostFinding]
    attached: list[Authorization]
    missing: set[Cover]
    override: IdentifierOverride | None
    today: date

    @property
    def problems(self) -> list[str]:
        """Why the post may not go public; the messages name kinds, never what was found:
        they travel into notifications (a held scheduled post) where a name must not."""
        if not self.missing or self.override is not None:
            return []
        kinds = ", ".join(sorted({finding.label for finding in self.findings}))
        needs = " and ".join(COVER_WORDS[cover] for cover in sorted(self.missing))
        return [
            f"It may identify a patient ({kinds}): attach the patient's authorization covering "
            f"{needs}, or have a compliance officer override with a written reason."
        ]


def review(post: Post) -> Review:
    images = _images(post)
    pillar = pillar_texts.texts_of(post)
    passages = passages_for(post, images, pillar)
    findings = _findings(passages, images)
    attached = attached_authorizations(post)
    today = practice_today(post.practice)
    missing = needed_covers(post, findings) - active_covers(attached, today)
    return Review(
        passages=passages,
        findings=findings,
        attached=attached,
        missing=missing,
        override=matching_override(post, images, pillar) if findings else None,
        today=today,
    )


def publish_problems(post: Post) -> list[str]:
    """Why the guard would stop ``post`` from going public; empty when it may."""
    return review(post).problems


def check_publishable(post: Post) -> None:
    """Raise ``Invalid`` listing the problems unless the guard lets ``post`` go public."""
    problems = publish_problems(post)
    if problems:
        raise Invalid(" ".join(problems), field="identifiers")


def _own_segments(text: str, findings: Iterable[Any]) -> list[Segment]:
    pieces: list[Segment] = []
    at = 0
    for found in sorted(findings, key=lambda f: f.start):
        if found.start < at:
            continue
        if found.start > at:
            pieces.append((text[at : found.start], None))
        pieces.append((text[found.start : found.end], found))
        at = found.end
    if at < len(text):
        pieces.append((text[at:], None))
    return pieces


def highlight(text: str, findings: Iterable[Any]) -> list[Segment]:
    """Segments from the screening module's ``highlight`` when it has one, else our own."""
    screening_highlight: Callable[..., list[Segment]] | None = getattr(
        identifiers, "highlight", None
    )
    chosen = list(findings)
    if screening_highlight is not None:
        return screening_highlight(text, chosen)
    return _own_segments(text, chosen)
