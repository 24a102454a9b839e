"""Count a post's view after its page was served (see ``bedside.analytics.recording``)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from bedside.analytics.recording import record_view
from bedside.posts.models import DETAIL_URL_OF_KIND, Post

# The pages that show one post: the generic post page and each pillar's page.
POST_PAGES = frozenset({"post_detail", *DETAIL_URL_OF_KIND.values()})


class RecordViews:
    """After a 200 answer to a GET of a post's page, record one view (privately)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        match = request.resolver_match
        if (
            request.method == "GET"
            and response.status_code == 200
            and match is not None
            and match.url_name in POST_PAGES
            and "post_id" in match.kwargs
            and not getattr(request, "htmx", False)
        ):
            post = Post.objects.filter(pk=match.kwargs["post_id"]).values("practice_id").first()
            if post is not None:
                record_view(
                    request, post_id=match.kwargs["post_id"], practice_id=post["practice_id"]
                )
        return response
