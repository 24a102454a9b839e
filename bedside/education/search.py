"""Search over a practice's published articles and answers, and "related reading".

On PostgreSQL a post's document is its title (weight A) and body (weight C) under the
``english`` configuration, matched with ``websearch_to_tsquery`` (quotes, ``or`` and ``-``
work as people expect), ranked with ``ts_rank`` and shown with a ``ts_headline`` snippet. The
document is the exact expression of the partial GIN index ``education_post_search`` (migration
``0002_post_search_index``), so a search reads the index instead of every post. On SQLite,
the embedded install, every word of the query must appear in the title, body, summary or
question (``icontains``), newest first.

Queries are cleaned before use: whitespace collapsed, control characters dropped, cut at
``MAX_QUERY_CHARS``; a query without a letter or digit is treated as empty.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import CombinedExpression
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from bedside.education.models import Answer, Article, Tag
from bedside.posts.models import Kind, Post, Status, Visibility
from bedside.practices.models import Practice
from bedside.practices.permissions import Action, AnyUser, can
from bedside.screening.readability import plain_text

MAX_QUERY_CHARS = 200
MAX_WORDS = 12
PAGE_SIZE = 20
MAX_PAGE = 50
RELATED_LIMIT = 3
SEARCH_CONFIG = "english"
SEARCHABLE_KINDS = (Kind.ARTICLE, Kind.ANSWER)
SNIPPET_WORDS = 30

# ts_headline marks matches with these private-use characters; the text is escaped and
# only then are they turned into <mark>, so nothing a writer typed becomes markup.
_START, _STOP = "\ue000", "\ue001"
_WORD = re.compile(r"\w+", re.UNICODE)
_STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "is",
        "it",
        "its",
        "may",
        "my",
        "not",
        "of",
        "on",
        "or",
        "should",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
    }
)


def clean_query(raw: str | None) -> str:
    """The query as searched: printable, single-spaced, at most MAX_QUERY_CHARS; "" if wordless."""
    if not raw:
        return ""
    printable = "".join(
        ch if unicodedata.category(ch)[0] != "C" else " " for ch in raw[: MAX_QUERY_CHARS * 4]
    )
    text = " ".join(printable.split())[:MAX_QUERY_CHARS].strip()
    return text if _WORD.search(text) else ""


def query_words(query: str) -> list[str]:
    """The words of a query that carry meaning (no stop words), at most MAX_WORDS."""
    words = [w for w in _WORD.findall(query.lower()) if w not in _STOP_WORDS]
    return list(dict.fromkeys(words))[:MAX_WORDS]


def _full_text() -> bool:
    return connection.vendor == "postgresql"


def document() -> CombinedExpression:
    """A post's search document: the expression the GIN index is built on."""
    return SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "body", weight="C", config=SEARCH_CONFIG
    )


@dataclass(frozen=True)
class Hit:
    post: Post
    snippet: SafeString
    summary: str
    tags: list[Tag]


@dataclass(frozen=True)
class Results:
    query: str
    tag: Tag | None
    hits: list[Hit] = field(default_factory=list)
    page: int = 1
    has_more: bool = False
    was_cut: bool = False
    ran: bool = False


def visible_posts(practice: Practice, viewer: AnyUser) -> QuerySet[Post]:
    """Published articles and answers of ``practice`` that ``viewer`` may read."""
    posts = Post.objects.filter(
        practice=practice, status=Status.PUBLISHED, kind__in=SEARCHABLE_KINDS
    )
    if not can(viewer, Action.VIEW_PATIENT_CONTENT, practice):
        posts = posts.filter(visibility=Visibility.PUBLIC)
    return posts


def practice_tags(practice: Practice, viewer: AnyUser) -> list[Tag]:
    """Tags on at least one post the viewer can find, for the filter."""
    posts = visible_posts(practice, viewer)
    on_articles = Article.objects.filter(tags=OuterRef("pk"), post__in=posts)
    on_answers = Answer.objects.filter(tags=OuterRef("pk"), post__in=posts)
    return list(
        Tag.objects.filter(practice=practice).filter(Exists(on_articles) | Exists(on_answers))
    )


def _with_tag(posts: QuerySet[Post], tag: Tag) -> QuerySet[Post]:
    return posts.filter(
        Q(pk__in=Article.objects.filter(tags=tag).values("post_id"))
        | Q(pk__in=Answer.objects.filter(tags=tag).values("post_id"))
    )


def _loaded(posts: QuerySet[Post]) -> QuerySet[Post]:
    return posts.select_related("practice", "author", "article", "answer").prefetch_related(
        "article__tags", "answer__tags"
    )


def search(
    practice: Practice,
    viewer: AnyUser,
    *,
    query: str | None,
    tag_slug: str | None = None,
    page: int = 1,
) -> Results:
    """One page of the viewer's search results; no query and no tag returns no hits."""
    raw = (query or "").strip()
    text = clean_query(raw)
    was_cut = len(" ".join(raw.split())) > MAX_QUERY_CHARS
    tag = Tag.objects.filter(practice=practice, slug=tag_slug).first() if tag_slug else None
    page = min(max(page, 1), MAX_PAGE)
    if not text and tag is None:
        return Results(query=text, tag=None, was_cut=was_cut)
    words = query_words(text)
    if text and not words:
        # Only words such as "the" or "how": PostgreSQL ignores them, and so does SQLite.
        return Results(query=text, tag=tag, page=page, was_cut=was_cut, ran=True)
    posts = visible_posts(practice, viewer)
    if tag is not None:
        posts = _with_tag(posts, tag)
    if text and _full_text():
        search_query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        posts = (
            posts.annotate(found=document())
            .filter(found=search_query)
            .annotate(
                rank=SearchRank(document(), search_query),
                headline=SearchHeadline(
                    "body",
                    search_query,
                    config=SEARCH_CONFIG,
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=SNIPPET_WORDS,
                    min_words=12,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-rank", "-published_at", "-id")
        )
    else:
        for word in words:
            posts = posts.filter(
                Q(title__icontains=word)
                | Q(body__icontains=word)
                | Q(article__summary__icontains=word)
                | Q(answer__question_text__icontains=word)
            )
        posts = posts.order_by("-published_at", "-id")
    start = (page - 1) * PAGE_SIZE
    rows = list(_loaded(posts)[start : start + PAGE_SIZE + 1])
    hits = [_hit(post, words) for post in rows[:PAGE_SIZE]]
    return Results(
        query=text,
        tag=tag,
        hits=hits,
        page=page,
        has_more=len(rows) > PAGE_SIZE,
        was_cut=was_cut,
        ran=True,
    )


def _extension(post: Post) -> Article | Answer | None:
    for name in ("article", "answer"):
        try:
            extension: Article | Answer = getattr(post, name)
        except (Article.DoesNotExist, Answer.DoesNotExist):
            continue
        return extension
    return None


def _hit(post: Post, words: list[str]) -> Hit:
    extension = _extension(post)
    if isinstance(extension, Article):
        summary = extension.summary
    elif isinstance(extension, Answer):
        summary = extension.question_text
    else:
        summary = ""
    tags = list(extension.tags.all()) if extension is not None else []
    headline = getattr(post, "headline", None)
    snippet = _marked(headline) if headline else _snippet(post.body, words)
    return Hit(post=post, snippet=snippet, summary=summary, tags=tags)


_MARKDOWN_NOISE = re.compile(r"\]\([^)\s]*\)?|[*_`#>\[\]]+")


def _marked(headline: str) -> SafeString:
    """A ts_headline fragment as safe HTML: escaped, Markdown marks dropped, matches marked."""
    text = " ".join(_MARKDOWN_NOISE.sub(" ", headline).split())
    html = escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    # A fragment may cut a match in two; never leave a <mark> open.
    opened, closed = html.count("<mark>"), html.count("</mark>")
    return mark_safe(html + "</mark>" * max(0, opened - closed))  # noqa: S308 (escaped above)


def _snippet(body: str, words: list[str]) -> SafeString:
    """About SNIPPET_WORDS words of the body around the first query word, matches marked."""
    tokens = plain_text(body).split()
    lowered = [t.lower() for t in tokens]
    first = next(
        (i for i, token in enumerate(lowered) if any(w in token for w in words)),
        0,
    )
    begin = max(0, first - SNIPPET_WORDS // 3)
    window = tokens[begin : begin + SNIPPET_WORDS]
    parts = []
    for token in window:
        escaped: str = escape(token)
        if words and any(w in token.lower() for w in words):
            escaped = f"<mark>{escaped}</mark>"
        parts.append(escaped)
    prefix = "… " if begin > 0 else ""
    suffix = " …" if begin + SNIPPET_WORDS < len(tokens) else ""
    return mark_safe(prefix + " ".join(parts) + suffix)  # noqa: S308 (each token escaped)


def _post_tag_ids(post: Post) -> list[int]:
    return list(
        Tag.objects.filter(Q(articles__post=post) | Q(answers__post=post))
        .values_list("pk", flat=True)
        .distinct()
    )


def related_reading(post: Post, viewer: AnyUser, *, limit: int = RELATED_LIMIT) -> list[Post]:
    """Articles and answers to read next: sharing the most tags first, then similar titles.

    Three queries whatever the practice's size: the post's tags, posts sharing them, and
    posts whose text matches the post's title words.
    """
    candidates = visible_posts(post.practice, viewer).exclude(pk=post.pk)
    chosen: list[Post] = []
    tag_ids = _post_tag_ids(post)
    if tag_ids:
        shared = (
            candidates.annotate(
                shared=Count("article__tags", filter=Q(article__tags__in=tag_ids), distinct=True)
                + Count("answer__tags", filter=Q(answer__tags__in=tag_ids), distinct=True)
            )
            .filter(shared__gt=0)
            .select_related("practice")
            .order_by("-shared", "-published_at", "-id")
        )
        chosen = list(shared[:limit])
    words = [w for w in query_words(post.title) if len(w) > 3]
    if len(chosen) < limit and words:
        others = candidates.exclude(pk__in=[p.pk for p in chosen]).select_related("practice")
        if _full_text():
            similar = SearchQuery(words[0], config=SEARCH_CONFIG)
            for word in words[1:]:
                similar |= SearchQuery(word, config=SEARCH_CONFIG)
            others = (
                others.annotate(found=document())
                .filter(found=similar)
                .annotate(rank=SearchRank(document(), similar))
                .order_by("-rank", "-published_at", "-id")
            )
        else:
            matches = Q()
            for word in words:
                matches |= Q(title__icontains=word) | Q(body__icontains=word)
            others = others.filter(matches).order_by("-published_at", "-id")
        chosen += list(others[: limit - len(chosen)])
    return chosen
