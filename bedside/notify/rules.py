"""Pure rules of delivery: preferences with their defaults, quiet hours, back-off, tokens.

Nothing here touches the database, so the fan-out, ``notify_users`` and the sweeps all
decide the same way, and the rules are tested on their own.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core import signing

from bedside.notify.models import Mode, NotificationPreference

UNSUBSCRIBE_SALT = "bedside.notify.unsubscribe"
MAX_EMAIL_ATTEMPTS = 6
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)


@dataclass(frozen=True)
class Choices:
    """One person's preferences for one practice, or the defaults when they chose nothing."""

    muted_kinds: frozenset[str] = field(default_factory=frozenset)
    in_app: bool = True
    email: bool = True
    push: bool = True
    mode: str = Mode.IMMEDIATE
    quiet_start: time | None = None
    quiet_end: time | None = None
    email_opted_out: bool = False

    @classmethod
    def of(cls, preference: NotificationPreference | None) -> "Choices":
        if preference is None:
            return cls()
        return cls(
            muted_kinds=frozenset(preference.muted_kinds or ()),
            in_app=preference.in_app,
            email=preference.email,
            push=preference.push,
            mode=preference.mode,
            quiet_start=preference.quiet_start,
            quiet_end=preference.quiet_end,
            email_opted_out=preference.email_opted_out_at is not None,
        )

    def wants(self, kind: str) -> bool:
        """Whether a notice of ``kind`` reaches this person through any channel."""
        if kind in self.muted_kinds:
            return False
        return self.in_app or self.wants_email or self.push

    @property
    def wants_email(self) -> bool:
        """An email for each notice (a digest person gets theirs from the digest)."""
        return self.email and not self.email_opted_out and self.mode == Mode.IMMEDIATE

    @property
    def wants_digest(self) -> bool:
        return self.email and not self.email_opted_out and self.mode == Mode.DAILY_DIGEST


def quiet_until(
    start: time | None, end: time | None, *, now: datetime, zone: str
) -> datetime | None:
    """The end of the quiet hours ``now`` falls in (aware, UTC), or None if it is not quiet.

    Hours are wall-clock times in the practice's time zone; ``start > end`` spans midnight
    (22:00–07:00). Equal or missing times mean no quiet hours.
    """
    if start is None or end is None or start == end:
        return None
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)
    wall = local.time().replace(tzinfo=None)
    if start < end:
        if not start <= wall < end:
            return None
        day = local.date()
    elif wall >= start:
        day = local.date() + timedelta(days=1)
    elif wall < end:
        day = local.date()
    else:
        return None
    return datetime.combine(day, end, tzinfo=tz).astimezone(UTC)


DIGEST_HOUR = time(8, 0)


def digest_window(day: date, *, zone: str) -> tuple[datetime, datetime]:
    """The notices a digest of ``day`` covers: from 8:00 the day before to 8:00 that day,
    in the practice's time zone, so consecutive digests neither overlap nor leave gaps."""
    tz = ZoneInfo(zone)
    end = datetime.combine(day, DIGEST_HOUR, tzinfo=tz)
    start = datetime.combine(day - timedelta(days=1), DIGEST_HOUR, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def retry_delay(attempts: int) -> timedelta:
    """Capped exponential back-off: 1, 2, 4, 8 … minutes, never more than an hour."""
    exponent = max(0, min(attempts - 1, 16))
    delay: timedelta = FIRST_RETRY * (2**exponent)
    return min(delay, LONGEST_RETRY)


def unsubscribe_token(*, user_id: int, practice_id: int) -> str:
    """A signed token naming one person and one practice; it cannot be altered or forged."""
    return signing.dumps({"u": user_id, "p": practice_id}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    """The (user id, practice id) a genuine token names, or None for anything else."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user_id, practice_id = data.get("u"), data.get("p")
    if type(user_id) is not int or type(practice_id) is not int:
        return None
    return user_id, practice_id
