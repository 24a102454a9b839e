"""A poll, an open question and a flu quiz with a leaderboard at Riverside, through the services.

Patients have voted and played already, so the results and the leaderboard have something
to show; the demo patient is left free to vote and to play.
"""

from datetime import timedelta

from django.utils import timezone

from bedside.demo import riverside
from bedside.engagement.models import Poll, PollStyle, Quiz, ResultsShown
from bedside.engagement.services import (
    PollDetails,
    PostText,
    QuestionDraft,
    add_question,
    answer_question,
    create_poll,
    create_quiz,
    show_on_leaderboard,
    vote,
)
from bedside.posts.models import Kind, Post
from bedside.posts.services import add_comment, publish_post
from bedside.practices.models import Membership, Practice, Role, User

POLL_CHOICES = ("Tuesday until 8 pm", "Thursday until 8 pm", "Saturday morning", "Any of these")
# How many of the patients (in order) pick each choice.
POLL_VOTES = (7, 4, 9, 3)

OPINION_ANSWERS = (
    "A reminder text the day before my appointment would help me most.",
    "More evening appointments for kids after school, please!",
)

QUESTIONS = (
    QuestionDraft(
        prompt="How often should most adults get a flu shot?",
        choices=("Every year", "Every five years", "Only once"),
        correct=0,
        explanation="Flu viruses change from season to season, so the vaccine is updated "
        "**every year** and protection fades over months.",
        source_title="CDC: Key facts about seasonal flu vaccine",
        source_url="https://www.cdc.gov/flu/vaccines/keyfacts.html",
    ),
    QuestionDraft(
        prompt="Can the flu shot give you the flu?",
        choices=("Yes, a mild case", "No", "Only in children"),
        correct=1,
        explanation="The injected vaccine contains no live virus, so it **cannot** cause flu. "
        "A sore arm or a day of feeling tired is the immune system at work.",
        source_title="CDC: Misconceptions about seasonal flu and flu vaccines",
        source_url="https://www.cdc.gov/flu/prevent/misconceptions.htm",
    ),
    QuestionDraft(
        prompt="How long does the vaccine take to protect you?",
        choices=("A few hours", "About two weeks", "Two months"),
        correct=1,
        explanation="Antibodies build up over **about two weeks** after the shot, so getting "
        "it before flu season peaks matters.",
        source_title="CDC: Key facts about seasonal flu vaccine",
        source_url="https://www.cdc.gov/flu/vaccines/keyfacts.html",
    ),
    QuestionDraft(
        prompt="What is the best way to stop flu spreading at home?",
        choices=("Antibiotics", "Washing hands and covering coughs", "Keeping windows shut"),
        correct=1,
        explanation="Flu is a virus: antibiotics do not work on it. **Handwashing** and covering "
        "coughs and sneezes cut the spread.",
        source_title="MedlinePlus: Flu",
        source_url="https://medlineplus.gov/flu.html",
    ),
)
# Each player's right answers (True) and wrong ones, and whether they join the leaderboard.
PLAYS = (
    ((True, True, True, True), True),
    ((True, False, True, True), True),
    ((True, True, False, True), True),
    ((True, False, False, True), False),
    ((False, True, True, True), True),
    ((True, True, True, False), True),
    ((True, False, True, False), False),
)


def _staff(practice: Practice, role: Role) -> User:
    return Membership.objects.select_related("user").get(practice=practice, role=role).user


def add_polls_and_quizzes() -> tuple[Poll, Poll, Quiz]:
    """Publish the poll, the open question and the quiz, and fill them with answers."""
    practice = Practice.objects.get(slug=riverside.SLUG)
    editor = _staff(practice, Role.EDITOR)
    clinician = _staff(practice, Role.CLINICIAN)
    demo_patient = riverside.LOGINS[-1].email
    patients = list(
        User.objects.filter(memberships__practice=practice, memberships__role=Role.PATIENT)
        .exclude(email=demo_patient)
        .order_by("pk")
    )
    now = timezone.now()

    poll = create_poll(
        by=editor,
        practice=practice,
        text=PostText(
            topic="non_medical",
            title="When should we open late?",
            body="We want to add **evening hours** next season. Which would you use?",
            visibility="public",
        ),
        details=PollDetails(
            closes_at=now + timedelta(days=10),
            choices=POLL_CHOICES,
            results_shown=ResultsShown.AFTER_VOTING,
        ),
    )
    publish_post(by=editor, post=poll.post)
    choices = list(poll.choices.order_by("position"))
    voters = iter(patients)
    for choice, count in zip(choices, POLL_VOTES, strict=True):
        for _ in range(count):
            vote(poll=poll, patient=next(voters), choice_ids=[choice.pk])

    question = create_poll(
        by=editor,
        practice=practice,
        text=PostText(
            topic="non_medical",
            title="What would make your visits easier?",
            body="Tell us in a sentence or two: we read every answer.",
            visibility="patients",
        ),
        details=PollDetails(closes_at=now + timedelta(days=21), style=PollStyle.OPINION),
    )
    publish_post(by=editor, post=question.post)
    for patient, answer in zip(reversed(patients), OPINION_ANSWERS, strict=False):
        add_comment(user=patient, post=question.post, body=answer)

    quiz = create_quiz(
        by=clinician,
        practice=practice,
        text=PostText(
            topic="medical",
            title="Flu season quiz: fact or myth?",
            body="Four quick questions from Dr. Brooks. Your first try counts.",
            visibility="public",
        ),
        has_leaderboard=True,
    )
    article = Post.objects.filter(practice=practice, kind=Kind.ARTICLE, status="published").first()
    for index, draft in enumerate(QUESTIONS):
        if index == 0 and article is not None:
            draft = QuestionDraft(**{**draft.__dict__, "article": article})
        add_question(by=clinician, quiz=quiz, draft=draft)
    publish_post(by=clinician, post=quiz.post)
    questions = list(quiz.questions.prefetch_related("choices").order_by("position"))
    for player, (rights, joins) in zip(patients[3:], PLAYS, strict=False):
        for item, right in zip(questions, rights, strict=True):
            picked = next(c for c in item.choices.all() if c.is_correct == right)
            answer_question(quiz=quiz, patient=player, question=item, choice_id=picked.pk)
        if joins:
            show_on_leaderboard(quiz=quiz, patient=player, show=True)
    return poll, question, quiz
