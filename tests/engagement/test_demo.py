import pytest

from bedside.demo import riverside
from bedside.demo.seeding import seed_demo
from bedside.engagement.models import Attempt, Ballot, Poll, Quiz
from bedside.engagement.queries import leaderboard, poll_view
from bedside.posts.models import Status
from bedside.practices.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_voted_poll_an_open_question_and_a_quiz_with_a_leaderboard():
    seed_demo()
    jamie = User.objects.get(email=riverside.LOGINS[-1].email)
    polls = {p.post.title: p for p in Poll.objects.select_related("post", "practice")}
    poll = polls["When should we open late?"]
    assert poll.post.status == Status.PUBLISHED and not poll.is_closed
    assert poll.voter_count == Ballot.objects.filter(poll=poll).count() == 23
    assert sum(c.vote_count for c in poll.choices.all()) == 23
    assert not poll_view(poll, jamie).has_voted  # the demo patient can still vote

    question = polls["What would make your visits easier?"]
    assert question.is_opinion and question.post.comment_count == 2

    quiz = Quiz.objects.select_related("post").get(practice__slug=riverside.SLUG)
    assert quiz.post.status == Status.PUBLISHED and quiz.questions.count() == 4
    assert quiz.attempt_count == Attempt.objects.filter(quiz=quiz).count() == 7
    board = leaderboard(quiz, jamie)
    assert len(board) == 5 and board[0].score == 4
    assert not Attempt.objects.filter(quiz=quiz, user=jamie).exists()
