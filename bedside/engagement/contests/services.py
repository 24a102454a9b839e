"""Every change to contests: create and edit them, enter, draw, claim a prize.

A contest is a post of kind ``contest`` plus its rules; ``create_contest`` writes both in
one transaction and draws the secret seed there, before anyone can enter. Entering is
limited by the database (one entry per person, or per person and day) and by a rate
limit. The draw locks the contest row, so two clicks on "Draw" draw once; it refuses a
contest that has not closed and one already drawn. Winners are told by a notify sweep
(``bedside/notify/contest_winners.py``), which reads ``drawn_at``: this app never calls
notify, which sits above it.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import IO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from bedside.audit.services import record
from bedside.core.errors import Conflict, Invalid
from bedside.core.images import clean_image
from bedside.engagement.contests import draw
from bedside.engagement.contests.models import ONCE, Contest, Entry, EntryType, Frequency
from bedside.engagement.ratelimit import Limit, consume
from bedside.posts.models import Kind
from bedside.posts.services import create_post, update_post
from bedside.practices.models import Practice, User
from bedside.practices.permissions import Action, require

MAX_TEXT = 200
MAX_QUESTION = 300
MAX_ANSWER = 2000
MAX_ALT = 300
MAX_WINNERS = 100
MAX_ALTERNATES = 100
MAX_PRIZE_VALUE = Decimal("1000000")
MAX_LENGTH = timedelta(days=366)
# Entering is a click: ten tries a minute is far more than a person needs.
ENTRY_LIMIT = Limit(count=10, seconds=60)


@dataclass(frozen=True)
class PostText:
    """What the contest's post says, as ``posts.services.create_post`` takes it."""

    title: str
    body: str
    visibility: str


@dataclass(frozen=True)
class ContestRules:
    """The fields the official rules are built from. Naive datetimes are wall-clock times
    in ``time_zone``."""

    sponsor: str
    min_age: int
    region: str
    opens_at: datetime
    closes_at: datetime
    draw_by: datetime
    time_zone: str
    entry_type: str
    prize: str
    prize_value: Decimal
    question: str = ""
    frequency: str = Frequency.ONCE
    currency: str = "USD"
    winners_count: int = 1
    alternates_count: int = 2
    claim_days: int = 14
    staff_may_enter: bool = False


def _zone(name: str) -> ZoneInfo:
    if name not in available_timezones():
        raise Invalid("Choose a time zone from the list, e.g. America/New_York.", field="time_zone")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid("Choose a time zone from the list.", field="time_zone") from None


def _aware(value: datetime, zone: ZoneInfo, field: str) -> datetime:
    if timezone.is_aware(value):
        return value
    aware = value.replace(tzinfo=zone)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != value:
        raise Invalid(
            f"{value:%Y-%m-%d %H:%M} does not exist in {zone.key}: the clocks change then.",
            field=field,
        )
    return aware


def _text(value: str, field: str, what: str, limit: int = MAX_TEXT) -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise Invalid(f"Say {what}.", field=field)
    if len(cleaned) > limit:
        raise Invalid(f"Keep it under {limit} characters.", field=field)
    return cleaned


def _validated(rules: ContestRules, *, current: Contest | None) -> dict[str, object]:
    zone = _zone(rules.time_zone)
    opens_at = _aware(rules.opens_at, zone, "opens_at")
    closes_at = _aware(rules.closes_at, zone, "closes_at")
    draw_by = _aware(rules.draw_by, zone, "draw_by")
    unchanged = current is not None and closes_at == current.closes_at
    if closes_at <= timezone.now() and not unchanged:
        raise Invalid("Entries must close in the future.", field="closes_at")
    if closes_at <= opens_at:
        raise Invalid("Entries must close after they open.", field="closes_at")
    if closes_at - opens_at > MAX_LENGTH:
        raise Invalid("A contest runs for at most a year.", field="closes_at")
    if draw_by < closes_at:
        raise Invalid("The draw comes after entries close.", field="draw_by")
    if draw_by - closes_at > timedelta(days=90):
        raise Invalid("Draw the winners within 90 days of closing.", field="draw_by")
    if current is not None and current.has_opened and opens_at != current.opens_at:
        raise Invalid("Entries have opened: the opening time cannot change.", field="opens_at")
    if rules.entry_type not in EntryType.values:
        raise Invalid("Choose how people enter.", field="entry_type")
    question = " ".join(rules.question.split())
    if rules.entry_type == EntryType.ANSWER and not question:
        raise Invalid("Write the question entrants answer.", field="question")
    if len(question) > MAX_QUESTION:
        raise Invalid(f"Keep the question under {MAX_QUESTION} characters.", field="question")
    if rules.frequency not in Frequency.values:
        raise Invalid("Choose how often people may enter.", field="frequency")
    if not 13 <= rules.min_age <= 120:
        raise Invalid("The minimum age is from 13 to 120.", field="min_age")
    if not Decimal(0) <= rules.prize_value < MAX_PRIZE_VALUE:
        raise Invalid("Give the prize's value in money, 0 or more.", field="prize_value")
    currency = rules.currency.strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise Invalid("A currency is a three-letter code such as USD.", field="currency")
    if not 1 <= rules.winners_count <= MAX_WINNERS:
        raise Invalid(f"From 1 to {MAX_WINNERS} winners.", field="winners_count")
    if not 0 <= rules.alternates_count <= MAX_ALTERNATES:
        raise Invalid(f"From 0 to {MAX_ALTERNATES} alternates.", field="alternates_count")
    if not 1 <= rules.claim_days <= 90:
        raise Invalid("Winners have from 1 to 90 days to claim.", field="claim_days")
    return {
        "sponsor": _text(rules.sponsor, "sponsor", "who sponsors the contest"),
        "region": _text(rules.region, "region", "who may enter (the region)"),
        "prize": _text(rules.prize, "prize", "what the prize is"),
        "min_age": rules.min_age,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "draw_by": draw_by,
        "time_zone": zone.key,
        "entry_type": rules.entry_type,
        "question": question if rules.entry_type == EntryType.ANSWER else "",
        "frequency": rules.frequency,
        "prize_value": rules.prize_value,
        "currency": currency,
        "winners_count": rules.winners_count,
        "alternates_count": rules.alternates_count,
        "claim_days": rules.claim_days,
        "staff_may_enter": rules.staff_may_enter,
    }


def create_contest(*, by: User, practice: Practice, text: PostText, rules: ContestRules) -> Contest:
    """A draft contest post with its rules and a fresh secret seed; publishing is the
    post's business (the studio)."""
    fields = _validated(rules, current=None)
    require(by, Action.CREATE_POST, practice)
    seed = draw.new_seed()
    with transaction.atomic():
        post = create_post(
            by=by,
            practice=practice,
            kind=Kind.CONTEST,
            topic="non_medical",
            title=text.title,
            body=text.body,
            visibility=text.visibility,
        )
        return Contest.objects.create(
            post=post,
            practice=practice,
            seed=seed,
            seed_commitment=draw.commitment(seed),
            **fields,
        )


def update_contest(*, by: User, contest: Contest, text: PostText, rules: ContestRules) -> Contest:
    """Change the post and, until someone has entered, the rules. The seed never changes."""
    require(by, Action.EDIT_POST, contest.post)
    fields = _validated(rules, current=contest)
    with transaction.atomic():
        locked = Contest.objects.select_for_update().get(pk=contest.pk)
        if locked.is_drawn:
            raise Conflict("This contest has been drawn: its rules are final.")
        changed = {name for name, value in fields.items() if getattr(locked, name) != value}
        if changed and locked.entry_count:
            raise Conflict(
                "People have entered under these rules, so they cannot change now. "
                "You can still edit the post's title and text."
            )
        update_post(
            by=by,
            post=contest.post,
            kind=Kind.CONTEST,
            topic=contest.post.topic,
            title=text.title,
            body=text.body,
            visibility=text.visibility,
        )
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
    for name, value in fields.items():
        setattr(contest, name, value)
    return contest


# --- entering ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhotoUpload:
    file: IO[bytes]
    size: int
    alt_text: str


def _period(contest: Contest, now: datetime) -> str:
    if contest.frequency == Frequency.DAILY:
        return now.astimezone(ZoneInfo(contest.time_zone)).date().isoformat()
    return ONCE


def enter_contest(
    *,
    user: User,
    contest: Contest,
    answer: str = "",
    photo: PhotoUpload | None = None,
    photo_consent: bool = False,
    name_consent: bool = False,
) -> Entry:
    """Enter ``user`` once (or once today, for a daily contest). A second entry is a
    ``Conflict`` with a polite message; the database's unique constraint is the guard."""
    require(user, Action.ENTER_CONTEST, contest)
    if not contest.post.is_published:
        raise Conflict("This contest is not open yet.")
    if not contest.has_opened:
        raise Conflict("This contest has not opened yet.")
    if contest.has_closed:
        raise Conflict("Entries for this contest are closed.")
    consume(scope="contest-entry", who=user.pk, limit=ENTRY_LIMIT)
    fields: dict[str, object] = {}
    if contest.entry_type == EntryType.ANSWER:
        text = answer.strip()
        if not text:
            raise Invalid("Write your answer to enter.", field="answer")
        if len(text) > MAX_ANSWER:
            raise Invalid(f"Keep your answer under {MAX_ANSWER} characters.", field="answer")
        fields["answer"] = text
    cleaned = None
    if contest.entry_type == EntryType.PHOTO:
        if photo is None:
            raise Invalid("Choose a photo to enter.", field="photo")
        alt = " ".join(photo.alt_text.split())
        if not alt:
            raise Invalid("Describe your photo for people who cannot see it.", field="photo_alt")
        if len(alt) > MAX_ALT:
            raise Invalid(f"Keep the description under {MAX_ALT} characters.", field="photo_alt")
        if not photo_consent:
            raise Invalid(
                "Photo entries need your permission to publish the photo.", field="photo_consent"
            )
        cleaned = clean_image(photo.file, size=photo.size, field="photo")
        fields.update(photo_alt=alt, photo_consent=True)
    now = timezone.now()
    period = _period(contest, now)
    if Entry.objects.filter(contest=contest, user=user, period=period).exists():
        raise Conflict(_already(contest))
    entry = Entry(
        contest=contest,
        user=user,
        public_id=draw.new_entry_id(),
        period=period,
        created_at=now,
        name_consent=name_consent,
        **fields,
    )
    try:
        with transaction.atomic():
            if cleaned is not None:
                entry.photo.save(cleaned.file.name or "entry.jpg", cleaned.file, save=False)
            entry.save()
            Contest.objects.filter(pk=contest.pk).update(entry_count=F("entry_count") + 1)
    except IntegrityError:
        # Two submissions at once: the unique constraint let the first one in.
        if entry.photo and entry.photo.name:
            entry.photo.storage.delete(entry.photo.name)
        raise Conflict(_already(contest)) from None
    contest.entry_count += 1
    return entry


def _already(contest: Contest) -> str:
    if contest.frequency == Frequency.DAILY:
        return "You have already entered today. Come back tomorrow for another chance!"
    return "You have already entered this contest: one entry per person. Good luck!"


# --- the draw --------------------------------------------------------------------------------


def close_entries_now(*, by: User, contest: Contest) -> Contest:
    """End the entry period now, before its planned end; the rules page says so.

    Those who may draw may close: a practice that must stop a contest early (a prize no
    longer available, abuse) stops new entries at once, and draws from what it has.
    """
    require(by, Action.DRAW_CONTEST, contest)
    now = timezone.now()
    with transaction.atomic():
        locked = Contest.objects.select_for_update().get(pk=contest.pk)
        if locked.is_drawn or locked.closes_at <= now:
            raise Conflict("Entries for this contest are already closed.")
        if locked.opens_at >= now:
            raise Conflict("Entries have not opened yet: change the entry period instead.")
        locked.closes_at = now
        locked.closed_early_at = now
        locked.save(update_fields=["closes_at", "closed_early_at", "updated_at"])
        record(
            action="contest.close",
            actor=by,
            practice=locked.practice_id,
            target=locked.post,
            detail={"closed_at": now.isoformat()},
        )
    contest.closes_at = contest.closed_early_at = now
    return contest


def draw_contest(*, by: User, contest: Contest) -> Contest:
    """Reveal the seed and pick the winners and alternates from the closed entry list.

    Refused before entries close, and a second time: the contest row is locked, so two
    staff pressing "Draw" at once draw once.
    """
    require(by, Action.DRAW_CONTEST, contest)
    now = timezone.now()
    with transaction.atomic():
        locked = Contest.objects.select_for_update().get(pk=contest.pk)
        if locked.is_drawn:
            raise Conflict("This contest has already been drawn.")
        if locked.closes_at > now:
            raise Conflict("Entries are still open: draw after the contest closes.")
        ids = draw.canonical(
            list(Entry.objects.filter(contest=locked).values_list("public_id", flat=True))
        )
        if not ids:
            raise Conflict("Nobody entered this contest, so there is no one to draw.")
        outcome = draw.run(
            bytes(locked.seed),
            ids,
            winners=locked.winners_count,
            alternates=locked.alternates_count,
        )
        for position, public_id in enumerate([*outcome.winners, *outcome.alternates]):
            Entry.objects.filter(contest=locked, public_id=public_id).update(draw_position=position)
        locked.entry_list = ids
        locked.entry_list_sha256 = draw.list_digest(ids)
        locked.drawn_at = now
        locked.drawn_by = by
        locked.claim_deadline = now + timedelta(days=locked.claim_days)
        locked.entry_count = len(ids)
        locked.save()
        record(
            action="contest.draw",
            actor=by,
            practice=locked.practice_id,
            target=locked.post,
            detail={
                "entries": len(ids),
                "entry_list_sha256": locked.entry_list_sha256,
                "winners": list(outcome.winners),
                "alternates": list(outcome.alternates),
            },
        )
    for field in Contest._meta.concrete_fields:
        setattr(contest, field.attname, getattr(locked, field.attname))
    return contest


def claim_prize(*, user: User, entry: Entry) -> Entry:
    """A winner claims their prize before the deadline; claiming twice keeps the first."""
    contest = entry.contest
    if entry.user_id != user.pk:
        raise Conflict("Only the winner can claim this prize.")
    if entry.draw_position is None or entry.draw_position >= contest.winners_count:
        raise Conflict("This entry did not win a prize.")
    if entry.claimed_at is not None:
        return entry
    now = timezone.now()
    if contest.claim_deadline is None or contest.claim_deadline <= now:
        raise Conflict("The deadline to claim this prize has passed.")
    with transaction.atomic():
        Entry.objects.filter(pk=entry.pk, claimed_at__isnull=True).update(claimed_at=now)
    entry.claimed_at = now
    return entry
