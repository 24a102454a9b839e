"""Loaders for articles, answers and questions: 404 for missing, foreign and invisible rows."""

from bedside.core.errors import NotFound
from bedside.education.models import Answer, Article, Citation, Question, TrustedSource
from bedside.practices.models import Practice
from bedside.practices.permissions import Action, AnyUser, can


def access_article(viewer: AnyUser, practice: Practice, post_id: int) -> Article:
    """The article whose post is ``post_id`` in ``practice``, if ``viewer`` may see the post."""
    try:
        article = Article.objects.select_related(
            "post__practice", "post__author", "practice", "reviewed_by"
        ).get(post_id=post_id, practice=practice, post__practice=practice)
    except Article.DoesNotExist:
        raise NotFound("No such article.") from None
    if not can(viewer, Action.VIEW_POST, article.post):
        raise NotFound("No such article.")
    return article


def access_answer(viewer: AnyUser, practice: Practice, post_id: int) -> Answer:
    try:
        answer = Answer.objects.select_related(
            "post__practice", "post__author", "practice", "question"
        ).get(post_id=post_id, practice=practice, post__practice=practice)
    except Answer.DoesNotExist:
        raise NotFound("No such answer.") from None
    if not can(viewer, Action.VIEW_POST, answer.post):
        raise NotFound("No such answer.")
    return answer


def access_citation(article: Article, citation_id: int) -> Citation:
    try:
        return Citation.objects.select_related("article__practice").get(
            pk=citation_id, article=article
        )
    except Citation.DoesNotExist:
        raise NotFound("No such source.") from None


def access_question(viewer: AnyUser, practice: Practice, question_id: int) -> Question:
    """A question for the staff who answer them; nobody else learns it exists."""
    try:
        question = Question.objects.select_related("practice", "asker").get(
            pk=question_id, practice=practice
        )
    except Question.DoesNotExist:
        raise NotFound("No such question.") from None
    if not can(viewer, Action.ANSWER_QUESTION, question):
        raise NotFound("No such question.")
    return question


def access_own_question(viewer: AnyUser, practice: Practice, question_id: int) -> Question:
    """One of the viewer's own questions; anyone else's is not found."""
    if not viewer.is_authenticated:
        raise NotFound("No such question.")
    try:
        return Question.objects.select_related("practice").get(
            pk=question_id, practice=practice, asker_id=viewer.pk
        )
    except Question.DoesNotExist:
        raise NotFound("No such question.") from None


def access_trusted_source(practice: Practice, source_id: int) -> TrustedSource:
    try:
        return TrustedSource.objects.select_related("practice").get(pk=source_id, practice=practice)
    except TrustedSource.DoesNotExist:
        raise NotFound("No such source.") from None
