"""Loaders for posts and comments: 404 for missing, foreign and invisible rows alike."""

from bedside.core.errors import NotFound
from bedside.posts.models import Comment, Post
from bedside.practices.models import Practice
from bedside.practices.permissions import Action, AnyUser, can


def access_post(viewer: AnyUser, practice: Practice, post_id: int) -> "Post":
    """The post if it belongs to ``practice`` and ``viewer`` may see it; else NotFound."""

    try:
        post = Post.objects.select_related("practice", "author", "spotlight").get(
            pk=post_id, practice=practice
        )
    except Post.DoesNotExist:
        raise NotFound("No such post.") from None
    if not can(viewer, Action.VIEW_POST, post):
        raise NotFound("No such post.")
    return post


def access_comment(viewer: AnyUser, practice: Practice, comment_id: int) -> "Comment":

    try:
        comment = Comment.objects.select_related("post__practice").get(
            pk=comment_id, post__practice=practice
        )
    except Comment.DoesNotExist:
        raise NotFound("No such comment.") from None
    if not can(viewer, Action.VIEW_POST, comment.post):
        raise NotFound("No such comment.")
    return comment
