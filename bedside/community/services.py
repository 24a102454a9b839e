"""Every change to a support group: joining, posting, reacting, reporting, moderating.

Before a thread or reply is saved its words are screened: personal identifiers make the
form show what was found and ask the poster to edit or confirm (never a block), and
crisis language records a ``SafetyAlert`` (a notify sweep tells moderators) and holds or
publishes the post by the group's policy, while the poster is shown crisis resources.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from bedside.audit.services import record
from bedside.community.access import is_moderator, may_read
from bedside.community.models import (
    CommunitySettings,
    CrisisPolicy,
    Group,
    GroupMember,
    GroupReaction,
    MemberStatus,
    ModAction,
    ModerationLogEntry,
    PostStatus,
    ReactionKind,
    Reply,
    Report,
    SafetyAlert,
    Thread,
    ThreadFollow,
    Visibility,
    crisis_lines,
)
from bedside.core.errors import Conflict, Invalid, NotAllowed, NotFound
from bedside.core.sanitizer import render_markdown
from bedside.practices.models import Membership, Practice, User
from bedside.practices.permissions import Action, require
from bedside.screening import crisis, identifiers

EDIT_WINDOW = timedelta(minutes=15)
MAX_BODY = 10000
MAX_TITLE = 160
MAX_REASON = 500


class IdentifiersFound(Invalid):
    """The text holds personal identifiers: show them and let the poster edit or confirm."""

    def __init__(self, findings: list[identifiers.Finding]) -> None:
        super().__init__(
            "This may identify you. Edit it out, or tick “Post it as it is” to post anyway.",
            field="body",
        )
        self.findings = findings


@dataclass(frozen=True)
class Outcome:
    """What became of a new post: where it is, whether it is held, whether it spoke of a
    crisis (then ``resources`` are shown to the poster at once)."""

    thread: Thread
    reply: Reply | None
    held: bool
    crisis: bool
    resources: list[str] = field(default_factory=list)


# --- settings and groups ---------------------------------------------------------------


def crisis_resources(practice: Practice) -> list[str]:
    settings_row = CommunitySettings.objects.filter(practice=practice).first()
    return crisis_lines(practice, settings_row.crisis_resources if settings_row else "")


def set_crisis_resources(*, by: User, practice: Practice, text: str) -> CommunitySettings:
    require(by, Action.MANAGE_GROUPS, practice)
    if len(text) > 2000:
        raise Invalid("Keep the list under 2,000 characters.", field="crisis_resources")
    with transaction.atomic():
        row, _ = CommunitySettings.objects.update_or_create(
            practice=practice, defaults={"crisis_resources": text.strip()}
        )
        record(
            action="groups.settings",
            actor=by,
            practice=practice,
            target=row,
            target_label="crisis resources",
            detail={"lines": len(row.crisis_resources.splitlines())},
        )
    return row


def create_group(
    *,
    by: User,
    practice: Practice,
    name: str,
    description: str,
    guidelines: str,
    visibility: str = Visibility.PUBLIC,
    crisis_policy: str = CrisisPolicy.HOLD,
    premoderate_first: int = 0,
) -> Group:
    name = name.strip()
    if not name:
        raise Invalid("Give the group a name.", field="name")
    if not guidelines.strip():
        raise Invalid("Members accept the guidelines on joining: write them.", field="guidelines")
    if visibility not in Visibility.values:
        raise Invalid("Choose who can find the group.", field="visibility")
    if crisis_policy not in CrisisPolicy.values:
        raise Invalid("Choose what happens to a post in crisis.", field="crisis_policy")
    require(by, Action.MANAGE_GROUPS, practice)
    slug = slugify(name)[:60] or "group"
    if Group.objects.filter(practice=practice, slug=slug).exists():
        raise Invalid("A group of this name exists already.", field="name")
    with transaction.atomic():
        group = Group.objects.create(
            practice=practice,
            slug=slug,
            name=name,
            description=description.strip(),
            description_html=render_markdown(description),
            guidelines=guidelines.strip(),
            guidelines_html=render_markdown(guidelines),
            visibility=visibility,
            crisis_policy=crisis_policy,
            premoderate_first=max(0, premoderate_first),
        )
        record(
            action="group.create",
            actor=by,
            practice=practice,
            target=group,
            detail={
                "visibility": visibility,
                "crisis_policy": crisis_policy,
                "premoderate_first": group.premoderate_first,
            },
        )
    return group


# --- membership ------------------------------------------------------------------------


def _practice_seat(user: User, practice: Practice) -> Membership:
    require(user, Action.JOIN_GROUP, practice)
    return Membership.objects.get(user=user, practice=practice)


def join_group(*, user: User, group: Group, accept_guidelines: bool, note: str = "") -> GroupMember:
    """Join a public group, ask to join a private one, or accept an invitation to a hidden
    one. The guidelines must be accepted first."""
    if not accept_guidelines:
        raise Invalid("Please read and accept the group's guidelines.", field="accept_guidelines")
    if len(note) > MAX_REASON:
        raise Invalid("Keep the note under 500 characters.", field="note")
    seat = _practice_seat(user, group.practice)
    now = timezone.now()
    with transaction.atomic():
        member = GroupMember.objects.select_for_update().filter(group=group, user=user).first()
        if member is not None and member.status == MemberStatus.BANNED:
            raise NotAllowed("You can no longer take part in this group.")
        if member is not None and member.status in {MemberStatus.ACTIVE, MemberStatus.PENDING}:
            raise Conflict("You have already joined or asked to join this group.")
        invited = member is not None and member.status == MemberStatus.INVITED
        if group.visibility == Visibility.HIDDEN and not invited:
            raise NotFound("No such group.")
        status = (
            MemberStatus.PENDING
            if group.visibility == Visibility.PRIVATE and not invited
            else MemberStatus.ACTIVE
        )
        if member is None:
            member = GroupMember(group=group, practice=group.practice, membership=seat, user=user)
        member.status = status
        member.request_note = note.strip()
        member.accepted_guidelines_at = now
        member.save()
        if status == MemberStatus.ACTIVE:
            Group.objects.filter(pk=group.pk).update(member_count=F("member_count") + 1)
    return member


def leave_group(*, user: User, group: Group) -> None:
    with transaction.atomic():
        member = GroupMember.objects.select_for_update().filter(group=group, user=user).first()
        if member is None or member.status not in {MemberStatus.ACTIVE, MemberStatus.PENDING}:
            raise Conflict("You are not in this group.")
        if member.status == MemberStatus.ACTIVE:
            Group.objects.filter(pk=group.pk).update(member_count=F("member_count") - 1)
        member.status = MemberStatus.LEFT
        member.save(update_fields=["status", "updated_at"])


def _log(
    *,
    by: User,
    group: Group,
    action: ModAction,
    reason: str,
    thread: Thread | None = None,
    reply: Reply | None = None,
    member: GroupMember | None = None,
) -> ModerationLogEntry:
    """The group's own moderation log, and the practice's audit trail of the same act.

    Threads, replies and group members are patients' rows: their audit labels are ids."""
    entry = ModerationLogEntry.objects.create(
        practice_id=group.practice_id,
        group=group,
        moderator=by,
        action=action,
        reason=reason,
        thread=thread,
        reply=reply,
        member=member,
    )
    target: Thread | Reply | GroupMember | Group = reply or thread or member or group
    label = {Thread: "thread", Reply: "reply", GroupMember: "group member"}.get(type(target))
    record(
        action=f"group.{action}",
        actor=by,
        practice=group.practice_id,
        target=target,
        target_label=f"{label} #{target.pk}" if label else "",
        detail={"group": group.pk, "moderation_log": entry.pk},
    )
    return entry


def _clean_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise Invalid("Say why: the moderation log keeps it.", field="reason")
    if len(reason) > MAX_REASON:
        raise Invalid("Keep the reason under 500 characters.", field="reason")
    return reason


def invite_to_group(*, by: User, group: Group, membership: Membership) -> GroupMember:
    require(by, Action.MODERATE_GROUPS, group.practice)
    if membership.practice_id != group.practice_id:
        raise NotFound("No such member.")
    with transaction.atomic():
        member, created = GroupMember.objects.get_or_create(
            group=group,
            user_id=membership.user_id,
            defaults={
                "practice": group.practice,
                "membership": membership,
                "status": MemberStatus.INVITED,
            },
        )
        if not created:
            if member.status in {MemberStatus.ACTIVE, MemberStatus.BANNED}:
                raise Conflict("This person is already a member, or banned.")
            member.status = MemberStatus.INVITED
            member.save(update_fields=["status", "updated_at"])
        _log(by=by, group=group, action=ModAction.INVITE, reason="Invited", member=member)
    return member


def decide_join_request(*, by: User, member: GroupMember, approve: bool, reason: str = "") -> None:
    group = member.group
    require(by, Action.MODERATE_GROUPS, group.practice)
    reason = reason.strip()[:MAX_REASON] or ("Approved" if approve else "Declined")
    with transaction.atomic():
        locked = GroupMember.objects.select_for_update().get(pk=member.pk)
        if locked.status != MemberStatus.PENDING:
            raise Conflict("This request was already decided.")
        locked.status = MemberStatus.ACTIVE if approve else MemberStatus.DECLINED
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        if approve:
            Group.objects.filter(pk=group.pk).update(member_count=F("member_count") + 1)
        action = ModAction.APPROVE_MEMBER if approve else ModAction.DECLINE_MEMBER
        _log(by=by, group=group, action=action, reason=reason, member=locked)
    member.refresh_from_db()


def mute_member(*, by: User, member: GroupMember, days: int, reason: str) -> None:
    reason = _clean_reason(reason)
    if not 1 <= days <= 365:
        raise Invalid("Mute for 1 to 365 days.", field="days")
    require(by, Action.MODERATE_GROUPS, member.practice)
    with transaction.atomic():
        GroupMember.objects.filter(pk=member.pk).update(
            muted_until=timezone.now() + timedelta(days=days)
        )
        _log(by=by, group=member.group, action=ModAction.MUTE, reason=reason, member=member)


def ban_member(*, by: User, member: GroupMember, reason: str) -> None:
    reason = _clean_reason(reason)
    require(by, Action.MODERATE_GROUPS, member.practice)
    if member.user_id == by.pk:
        raise Conflict("You cannot ban yourself.")
    with transaction.atomic():
        locked = GroupMember.objects.select_for_update().get(pk=member.pk)
        if locked.status == MemberStatus.ACTIVE:
            Group.objects.filter(pk=locked.group_id).update(member_count=F("member_count") - 1)
        locked.status = MemberStatus.BANNED
        locked.save(update_fields=["status", "updated_at"])
        _log(by=by, group=member.group, action=ModAction.BAN, reason=reason, member=locked)


def unban_member(*, by: User, member: GroupMember, reason: str) -> None:
    reason = _clean_reason(reason)
    require(by, Action.MODERATE_GROUPS, member.practice)
    with transaction.atomic():
        updated = GroupMember.objects.filter(pk=member.pk, status=MemberStatus.BANNED).update(
            status=MemberStatus.LEFT
        )
        if not updated:
            raise Conflict("This person is not banned.")
        _log(by=by, group=member.group, action=ModAction.UNBAN, reason=reason, member=member)


# --- posting ---------------------------------------------------------------------------


def _poster(user: User, group: Group) -> GroupMember:
    """The poster's active, unmuted membership of the group, or a clear refusal."""
    member = GroupMember.objects.filter(group=group, user_id=user.pk).first()
    if member is not None and member.status == MemberStatus.BANNED:
        raise NotAllowed("You can no longer post in this group.")
    if member is None or member.status != MemberStatus.ACTIVE:
        raise NotAllowed("Join the group to post in it.")
    if member.muted_until is not None and member.muted_until > timezone.now():
        raise NotAllowed(f"A moderator paused your posting until {member.muted_until:%B %-d, %Y}.")
    return member


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise Invalid("Write something first.", field="body")
    if len(body) > MAX_BODY:
        raise Invalid(f"Keep it under {MAX_BODY:,} characters.", field="body")
    return body


def _screen(text: str, *, confirm_identifiers: bool) -> crisis.CrisisResult:
    if not confirm_identifiers:
        found = identifiers.find(text)
        if found:
            raise IdentifiersFound(found)
    return crisis.screen(text)


def _status_for(
    group: Group, member: GroupMember, result: crisis.CrisisResult, *, moderator: bool
) -> str:
    if result.is_crisis and group.crisis_policy == CrisisPolicy.HOLD:
        return PostStatus.HELD
    if not moderator and member.approved_posts < group.premoderate_first:
        return PostStatus.HELD
    return PostStatus.PUBLISHED


def _alert(
    practice_id: int, result: crisis.CrisisResult, *, thread: Thread | None, reply: Reply | None
) -> None:
    SafetyAlert.objects.create(
        practice_id=practice_id,
        thread=thread,
        reply=reply,
        category=result.category or "unspecified",
        reason=result.reason[:500],
    )


def start_thread(
    *, by: User, group: Group, title: str, body: str, confirm_identifiers: bool = False
) -> Outcome:
    title = title.strip()
    if not title:
        raise Invalid("Give your post a title.", field="title")
    if len(title) > MAX_TITLE:
        raise Invalid(f"Keep the title under {MAX_TITLE} characters.", field="title")
    body = _clean_body(body)
    member = _poster(by, group)
    result = _screen(f"{title}\n\n{body}", confirm_identifiers=confirm_identifiers)
    status = _status_for(group, member, result, moderator=is_moderator(by, group.practice))
    now = timezone.now()
    with transaction.atomic():
        thread = Thread.objects.create(
            group=group,
            practice=group.practice,
            author=by,
            author_membership=member.membership,
            title=title,
            body=body,
            body_html=render_markdown(body),
            status=status,
            last_activity_at=now,
        )
        ThreadFollow.objects.get_or_create(thread=thread, user=by)
        if status == PostStatus.PUBLISHED:
            GroupMember.objects.filter(pk=member.pk).update(approved_posts=F("approved_posts") + 1)
        if result.is_crisis:
            _alert(group.practice_id, result, thread=thread, reply=None)
    return Outcome(
        thread=thread,
        reply=None,
        held=status == PostStatus.HELD,
        crisis=result.is_crisis,
        resources=crisis_resources(group.practice) if result.is_crisis else [],
    )


def post_reply(
    *,
    by: User,
    thread: Thread,
    body: str,
    quote_id: int | None = None,
    confirm_identifiers: bool = False,
) -> Outcome:
    body = _clean_body(body)
    group = thread.group
    member = _poster(by, group)
    quote = None
    if quote_id is not None:
        quote = Reply.objects.filter(
            pk=quote_id, thread=thread, status=PostStatus.PUBLISHED
        ).first()
        if quote is None:
            raise Invalid("The reply you quoted is no longer there.", field="quote")
    if thread.is_locked:
        raise Conflict("This conversation is locked: a moderator closed it to new replies.")
    if thread.status != PostStatus.PUBLISHED:
        raise Conflict("This conversation is not open for replies.")
    result = _screen(body, confirm_identifiers=confirm_identifiers)
    status = _status_for(group, member, result, moderator=is_moderator(by, group.practice))
    with transaction.atomic():
        reply = Reply.objects.create(
            thread=thread,
            practice_id=thread.practice_id,
            author=by,
            author_membership=member.membership,
            quote=quote,
            body=body,
            body_html=render_markdown(body),
            status=status,
        )
        ThreadFollow.objects.get_or_create(thread=thread, user=by)
        if status == PostStatus.PUBLISHED:
            _count_reply(thread.pk, +1)
            GroupMember.objects.filter(pk=member.pk).update(approved_posts=F("approved_posts") + 1)
        if result.is_crisis:
            _alert(thread.practice_id, result, thread=None, reply=reply)
    return Outcome(
        thread=thread,
        reply=reply,
        held=status == PostStatus.HELD,
        crisis=result.is_crisis,
        resources=crisis_resources(group.practice) if result.is_crisis else [],
    )


def _count_reply(thread_id: int, step: int) -> None:
    update: dict[str, object] = {"reply_count": F("reply_count") + step}
    if step > 0:
        update["last_activity_at"] = timezone.now()
    Thread.objects.filter(pk=thread_id).update(**update)


def edit_post(
    *,
    by: User,
    post: Thread | Reply,
    body: str,
    title: str | None = None,
    confirm_identifiers: bool = False,
) -> Outcome:
    """The author edits their own thread or reply within 15 minutes of posting."""
    if post.author_id != by.pk:
        raise NotAllowed("Only the author may edit this.")
    if timezone.now() - post.created_at > EDIT_WINDOW:
        raise Conflict("Posts can be edited for 15 minutes; this one no longer can.")
    if post.status not in {PostStatus.PUBLISHED, PostStatus.HELD}:
        raise Conflict("This post can no longer be edited.")
    body = _clean_body(body)
    thread = post if isinstance(post, Thread) else post.thread
    group = thread.group
    _poster(by, group)
    if isinstance(post, Thread):
        title = (title or "").strip()
        if not title or len(title) > MAX_TITLE:
            raise Invalid(f"Give a title under {MAX_TITLE} characters.", field="title")
    text = f"{title}\n\n{body}" if isinstance(post, Thread) else body
    result = _screen(text, confirm_identifiers=confirm_identifiers)
    with transaction.atomic():
        if isinstance(post, Thread) and title:
            post.title = title
        post.body = body
        post.body_html = render_markdown(body)
        post.edited_at = timezone.now()
        if result.is_crisis and group.crisis_policy == CrisisPolicy.HOLD:
            if isinstance(post, Reply) and post.status == PostStatus.PUBLISHED:
                _count_reply(thread.pk, -1)
            post.status = PostStatus.HELD
        post.save()
        if result.is_crisis:
            _alert(
                thread.practice_id,
                result,
                thread=post if isinstance(post, Thread) else None,
                reply=post if isinstance(post, Reply) else None,
            )
    return Outcome(
        thread=thread,
        reply=post if isinstance(post, Reply) else None,
        held=post.status == PostStatus.HELD,
        crisis=result.is_crisis,
        resources=crisis_resources(group.practice) if result.is_crisis else [],
    )


def delete_own_post(*, by: User, post: Thread | Reply) -> None:
    if post.author_id != by.pk:
        raise NotAllowed("Only the author may delete this.")
    with transaction.atomic():
        _set_status(post, PostStatus.DELETED)


def _set_status(post: Thread | Reply, status: str) -> None:
    """Move a post to ``status``, keeping the thread's reply count to published replies."""
    was_published = post.status == PostStatus.PUBLISHED
    post.status = status
    post.save(update_fields=["status", "updated_at"])
    if isinstance(post, Reply):
        now_published = status == PostStatus.PUBLISHED
        if was_published != now_published:
            _count_reply(post.thread_id, +1 if now_published else -1)


# --- reactions, follows and reports ------------------------------------------------------


def _readable(user: User, thread: Thread) -> None:
    member = GroupMember.objects.filter(group=thread.group, user_id=user.pk).first()
    if not may_read(user, thread.group, member) or thread.status != PostStatus.PUBLISHED:
        raise NotFound("No such conversation.")


def toggle_reaction(*, by: User, post: Thread | Reply, kind: str) -> bool:
    """Add the reaction, or take it back if given already. Returns whether it is now on."""
    if kind not in ReactionKind.values:
        raise Invalid("Choose hug, helpful or me too.", field="kind")
    thread = post if isinstance(post, Thread) else post.thread
    _poster(by, thread.group)
    if post.status != PostStatus.PUBLISHED:
        raise NotFound("No such post.")
    target = {"thread": post} if isinstance(post, Thread) else {"reply": post}
    with transaction.atomic():
        deleted, _ = GroupReaction.objects.filter(user=by, kind=kind, **target).delete()
        if deleted:
            return False
        try:
            with transaction.atomic():
                GroupReaction.objects.create(
                    practice_id=thread.practice_id, user=by, kind=kind, **target
                )
        except IntegrityError:
            pass  # a double click: the reaction is there, which is what was asked
    return True


def follow_thread(*, by: User, thread: Thread, follow: bool) -> None:
    _readable(by, thread)
    require(by, Action.JOIN_GROUP, thread.practice)
    if follow:
        ThreadFollow.objects.get_or_create(thread=thread, user=by)
    else:
        ThreadFollow.objects.filter(thread=thread, user=by).delete()


def report_post(*, by: User, post: Thread | Reply, reason: str) -> Report:
    reason = reason.strip()
    if not reason:
        raise Invalid("Tell the moderators what is wrong.", field="reason")
    if len(reason) > MAX_REASON:
        raise Invalid("Keep the reason under 500 characters.", field="reason")
    thread = post if isinstance(post, Thread) else post.thread
    require(by, Action.JOIN_GROUP, thread.practice)
    _readable(by, thread)
    target = {"thread": post} if isinstance(post, Thread) else {"reply": post}
    with transaction.atomic():
        return Report.objects.create(
            practice_id=thread.practice_id, reporter=by, reason=reason, **target
        )


# --- moderation ----------------------------------------------------------------------


_POST_ACTIONS = {
    ModAction.HIDE: PostStatus.HIDDEN,
    ModAction.REMOVE: PostStatus.REMOVED,
    ModAction.RESTORE: PostStatus.PUBLISHED,
    ModAction.APPROVE_POST: PostStatus.PUBLISHED,
}
_THREAD_FLAGS = {
    ModAction.LOCK: ("is_locked", True),
    ModAction.UNLOCK: ("is_locked", False),
    ModAction.PIN: ("is_pinned", True),
    ModAction.UNPIN: ("is_pinned", False),
}


def moderate_post(*, by: User, post: Thread | Reply, action: str, reason: str) -> None:
    """Hide, remove, restore or approve a post, or lock, unlock, pin or unpin a thread;
    resolves the post's open reports and writes the log."""
    reason = _clean_reason(reason)
    try:
        mod_action = ModAction(action)
    except ValueError:
        raise Invalid("Choose an action.", field="action") from None
    if mod_action not in _POST_ACTIONS and mod_action not in _THREAD_FLAGS:
        raise Invalid("Choose an action.", field="action")
    if mod_action in _THREAD_FLAGS and not isinstance(post, Thread):
        raise Invalid("Only a conversation can be locked or pinned.", field="action")
    require(by, Action.MODERATE_GROUPS, post.practice)
    thread = post if isinstance(post, Thread) else post.thread
    now = timezone.now()
    with transaction.atomic():
        if mod_action in _POST_ACTIONS:
            was_held = post.status == PostStatus.HELD
            _set_status(post, _POST_ACTIONS[mod_action])
            if was_held and post.status == PostStatus.PUBLISHED:
                GroupMember.objects.filter(group_id=thread.group_id, user_id=post.author_id).update(
                    approved_posts=F("approved_posts") + 1
                )
        else:
            flag, value = _THREAD_FLAGS[mod_action]
            setattr(post, flag, value)
            post.save(update_fields=[flag, "updated_at"])
        target = {"thread": post} if isinstance(post, Thread) else {"reply": post}
        Report.objects.filter(resolved_at__isnull=True, **target).update(
            resolved_at=now, resolved_by=by
        )
        _log(
            by=by,
            group=thread.group,
            action=mod_action,
            reason=reason,
            thread=thread,
            reply=post if isinstance(post, Reply) else None,
        )


def dismiss_report(*, by: User, report: Report, reason: str) -> None:
    reason = _clean_reason(reason)
    require(by, Action.MODERATE_GROUPS, report.practice)
    thread = report.thread or (report.reply.thread if report.reply else None)
    assert thread is not None
    with transaction.atomic():
        if not Report.objects.filter(pk=report.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=by
        ):
            raise Conflict("This report was already handled.")
        _log(
            by=by,
            group=thread.group,
            action=ModAction.DISMISS_REPORT,
            reason=reason,
            thread=thread,
            reply=report.reply,
        )


def handle_alert(*, by: User, alert: SafetyAlert, reason: str) -> None:
    reason = _clean_reason(reason)
    require(by, Action.MODERATE_GROUPS, alert.practice)
    thread = alert.thread or (alert.reply.thread if alert.reply else None)
    assert thread is not None
    with transaction.atomic():
        if not SafetyAlert.objects.filter(pk=alert.pk, handled_at__isnull=True).update(
            handled_at=timezone.now(), handled_by=by
        ):
            raise Conflict("This alert was already handled.")
        _log(
            by=by,
            group=thread.group,
            action=ModAction.HANDLE_ALERT,
            reason=reason,
            thread=thread,
            reply=alert.reply,
        )


# --- for the notify sweeps -------------------------------------------------------------


def record_followers_told(*, reply: Reply) -> None:
    Reply.objects.filter(pk=reply.pk, followers_told_at__isnull=True).update(
        followers_told_at=timezone.now()
    )


def record_moderators_told(*, alert: SafetyAlert) -> None:
    SafetyAlert.objects.filter(pk=alert.pk, moderators_told_at__isnull=True).update(
        moderators_told_at=timezone.now()
    )
