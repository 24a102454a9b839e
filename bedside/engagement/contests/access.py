"""Loaders for contests and entries: 404 for missing, foreign and invisible rows alike."""

from bedside.core.errors import NotFound
from bedside.engagement.contests.models import Contest, Entry
from bedside.practices.models import Practice
from bedside.practices.permissions import Action, AnyUser, can


def access_contest(viewer: AnyUser, practice: Practice, post_id: int) -> Contest:
    """The contest whose post is ``post_id`` in ``practice``, if ``viewer`` may see the post."""
    try:
        contest = Contest.objects.select_related("post__practice", "post__author", "practice").get(
            post_id=post_id, practice=practice, post__practice=practice
        )
    except Contest.DoesNotExist:
        raise NotFound("No such contest.") from None
    if not can(viewer, Action.VIEW_POST, contest.post):
        raise NotFound("No such contest.")
    return contest


def access_own_entry(viewer: AnyUser, contest: Contest, entry_id: int) -> Entry:
    """One of the viewer's own entries in ``contest``; anyone else's is not found."""
    if not viewer.is_authenticated:
        raise NotFound("No such entry.")
    try:
        return Entry.objects.select_related("contest").get(
            pk=entry_id, contest=contest, user_id=viewer.pk
        )
    except Entry.DoesNotExist:
        raise NotFound("No such entry.") from None
