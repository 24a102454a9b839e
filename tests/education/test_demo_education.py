import pytest
from django.core.cache import cache

from bedside.demo import riverside
from bedside.demo.seeding import seed_demo
from bedside.education.models import Answer, Article, Question, QuestionStatus
from bedside.education.publishing import publishing_problems
from bedside.education.services import review_state
from bedside.posts.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Seeding plays quizzes; the engagement rate limits live in the cache, across tests."""
    cache.clear()


def test_the_demo_library_has_reviewed_cited_articles_a_myth_and_answered_questions():
    seed_demo()
    # One more waits for a clinician's approval in the studio (bedside/demo/approvals.py).
    articles = list(
        Article.objects.filter(practice__slug=riverside.SLUG)
        .exclude(post__status=Status.IN_REVIEW)
        .select_related("post", "practice")
    )
    assert len(articles) == 4
    assert sum(article.is_myth_fact for article in articles) == 1
    for article in articles:
        assert article.post.status == Status.PUBLISHED
        assert review_state(article) == "current"
        assert article.reviewer_name == "Dr. Samuel Brooks"
        assert article.citations.exists()
        assert publishing_problems(article.post) == []
    answers = Answer.objects.filter(practice__slug=riverside.SLUG).select_related("post")
    assert [answer.post.status for answer in answers] == [Status.PUBLISHED] * 2
    waiting = Question.objects.get(status=QuestionStatus.NEW)
    assert waiting.asker.email == riverside.LOGINS[-1].email
