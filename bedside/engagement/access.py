"""Loaders for polls, quizzes and questions: 404 for missing, foreign and invisible rows alike."""

from bedside.core.errors import NotFound
from bedside.engagement.models import Poll, Question, Quiz
from bedside.practices.models import Practice
from bedside.practices.permissions import Action, AnyUser, can


def access_poll(viewer: AnyUser, practice: Practice, post_id: int) -> Poll:
    """The poll whose post is ``post_id`` in ``practice``, if ``viewer`` may see the post."""
    try:
        poll = Poll.objects.select_related("post__practice", "post__author", "practice").get(
            post_id=post_id, practice=practice, post__practice=practice
        )
    except Poll.DoesNotExist:
        raise NotFound("No such poll.") from None
    if not can(viewer, Action.VIEW_POST, poll.post):
        raise NotFound("No such poll.")
    return poll


def access_quiz(viewer: AnyUser, practice: Practice, post_id: int) -> Quiz:
    """The quiz whose post is ``post_id`` in ``practice``, if ``viewer`` may see the post."""
    try:
        quiz = Quiz.objects.select_related("post__practice", "post__author", "practice").get(
            post_id=post_id, practice=practice, post__practice=practice
        )
    except Quiz.DoesNotExist:
        raise NotFound("No such quiz.") from None
    if not can(viewer, Action.VIEW_POST, quiz.post):
        raise NotFound("No such quiz.")
    return quiz


def access_question(quiz: Quiz, question_id: int) -> Question:
    """A question by id, only within ``quiz``."""
    try:
        question = Question.objects.get(pk=question_id, quiz=quiz)
    except Question.DoesNotExist:
        raise NotFound("No such question.") from None
    question.quiz = quiz
    return question
