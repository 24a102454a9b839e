"""Loaders for groups and their conversations, built on the kernel's ``can``.

Each raises ``NotFound`` alike for a missing row, another practice's row and a row the
viewer may not see, so a private or hidden group's link tells a stranger nothing.
"""

from bedside.community.models import (
    Group,
    GroupMember,
    MemberStatus,
    PostStatus,
    Reply,
    Report,
    SafetyAlert,
    Thread,
    Visibility,
)
from bedside.core.errors import NotFound
from bedside.practices.models import Practice
from bedside.practices.permissions import Action, AnyUser, can


def is_moderator(user: AnyUser, practice: Practice) -> bool:
    return can(user, Action.MODERATE_GROUPS, practice)


def member_of(user: AnyUser, group: Group) -> GroupMember | None:
    if not user.is_authenticated:
        return None
    return GroupMember.objects.filter(group=group, user_id=user.pk).first()


def may_see_group(user: AnyUser, group: Group, member: GroupMember | None) -> bool:
    """Whether the group's name and description may be shown (not its threads)."""
    if group.visibility != Visibility.HIDDEN or is_moderator(user, group.practice):
        return True
    return member is not None and member.status in {MemberStatus.ACTIVE, MemberStatus.INVITED}


def may_read(user: AnyUser, group: Group, member: GroupMember | None) -> bool:
    """Whether the group's threads may be read."""
    if is_moderator(user, group.practice):
        return True
    if member is not None and member.status == MemberStatus.BANNED:
        return False
    if group.visibility == Visibility.PUBLIC:
        return True
    return member is not None and member.status == MemberStatus.ACTIVE


def access_group(practice: Practice, group_slug: str, *, viewer: AnyUser) -> Group:
    try:
        group = Group.objects.select_related("practice").get(practice=practice, slug=group_slug)
    except Group.DoesNotExist:
        raise NotFound("No such group.") from None
    if not may_see_group(viewer, group, member_of(viewer, group)):
        raise NotFound("No such group.")
    return group


def may_see_post(user: AnyUser, post: Thread | Reply, practice: Practice) -> bool:
    """Published posts to readers; held and hidden ones also to their author; the rest
    (removed, deleted) only to moderators."""
    if post.status == PostStatus.PUBLISHED or is_moderator(user, practice):
        return True
    return post.status in {PostStatus.HELD, PostStatus.HIDDEN} and post.author_id == user.pk


def access_thread(group: Group, thread_id: int, *, viewer: AnyUser) -> Thread:
    """A thread of ``group`` the viewer may read."""
    if not may_read(viewer, group, member_of(viewer, group)):
        raise NotFound("No such conversation.")
    try:
        thread = Thread.objects.select_related("group", "practice", "author_membership").get(
            pk=thread_id, group=group
        )
    except Thread.DoesNotExist:
        raise NotFound("No such conversation.") from None
    if not may_see_post(viewer, thread, group.practice):
        raise NotFound("No such conversation.")
    return thread


def access_reply(thread: Thread, reply_id: int, *, viewer: AnyUser) -> Reply:
    try:
        reply = Reply.objects.select_related("thread", "practice").get(pk=reply_id, thread=thread)
    except Reply.DoesNotExist:
        raise NotFound("No such reply.") from None
    if not may_see_post(viewer, reply, thread.practice):
        raise NotFound("No such reply.")
    return reply


def access_thread_by_id(practice: Practice, thread_id: int) -> Thread:
    """Any thread of the practice, for moderators (the caller checks MODERATE_GROUPS)."""
    try:
        return Thread.objects.select_related("group", "practice").get(
            pk=thread_id, practice=practice
        )
    except Thread.DoesNotExist:
        raise NotFound("No such conversation.") from None


def access_reply_by_id(practice: Practice, reply_id: int) -> Reply:
    try:
        return Reply.objects.select_related("thread__group", "practice").get(
            pk=reply_id, practice=practice
        )
    except Reply.DoesNotExist:
        raise NotFound("No such reply.") from None


def access_member(practice: Practice, member_id: int) -> GroupMember:
    try:
        return GroupMember.objects.select_related("group", "membership").get(
            pk=member_id, practice=practice
        )
    except GroupMember.DoesNotExist:
        raise NotFound("No such member.") from None


_FLAGGED_POST = ("practice", "thread__group", "reply__thread__group")


def access_report(practice: Practice, report_id: int) -> Report:
    """A report on one of the practice's posts, for its moderators."""
    report = Report.objects.filter(pk=report_id, practice=practice).select_related(*_FLAGGED_POST)
    found = report.first()
    if found is None:
        raise NotFound("No such report.")
    return found


def access_alert(practice: Practice, alert_id: int) -> SafetyAlert:
    """A safety alert on one of the practice's posts, for its moderators."""
    alert = SafetyAlert.objects.filter(pk=alert_id, practice=practice)
    found = alert.select_related(*_FLAGGED_POST).first()
    if found is None:
        raise NotFound("No such alert.")
    return found
