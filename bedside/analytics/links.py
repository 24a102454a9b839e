"""Counting clicks on links in posts through a signed redirect.

``click_url`` signs the post id and the destination together, so the redirect endpoint only
ever sends people where one of our posts links: a forged or altered token is a 404, never an
open redirect, and only ``http``/``https`` destinations are signed or followed.
"""

from urllib.parse import urlsplit

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from bedside.analytics.recording import record_click
from bedside.posts.models import Post

SALT = "bedside.analytics.link"
URL_NAME = "analytics_link"


def _is_web(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def sign_link(*, post_id: int, url: str) -> str:
    """The token for a link in a post."""
    if not _is_web(url):
        raise ValueError("Only http and https links are counted.")
    return signing.dumps({"p": post_id, "u": url}, salt=SALT, compress=True)


def click_url(*, post_id: int, url: str) -> str:
    """The path that counts a click on ``url`` in post ``post_id`` and then goes there."""
    return reverse(URL_NAME, kwargs={"token": sign_link(post_id=post_id, url=url)})


def read_link(token: str) -> tuple[int, str]:
    """The post id and destination a token was signed for; ``Http404`` if forged."""
    try:
        data = signing.loads(token, salt=SALT)
        post_id, url = int(data["p"]), str(data["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise Http404("No such link.") from error
    if not _is_web(url):
        raise Http404("No such link.")
    return post_id, url


@require_GET
def follow_link(request: HttpRequest, token: str) -> HttpResponseRedirect:
    """Count the click (privately, unless the browser declines) and go to the link."""
    post_id, url = read_link(token)
    post = Post.objects.filter(pk=post_id).values("practice_id").first()
    if post is None:
        raise Http404("No such link.")
    record_click(request, post_id=post_id, practice_id=post["practice_id"], url=url)
    response = HttpResponseRedirect(url)
    response["Referrer-Policy"] = "no-referrer"
    return response
