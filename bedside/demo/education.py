"""Riverside's health library: three reviewed articles with their sources, a myth-vs-fact
post, two patients' questions answered in public and one still waiting in the queue.

Made through the education services; each post is checked by the same rule the studio
applies (``check_publishable``) and then published without a broadcast, as the other demo
seeds do, so seeding never mails the demo's patients.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from bedside.demo import riverside
from bedside.education.models import Answer, Article, ArticleFormat
from bedside.education.publishing import check_publishable
from bedside.education.services import (
    ArticleText,
    CitationInput,
    answer_question,
    ask_question,
    create_article,
    sign_off_review,
)
from bedside.posts.models import Post
from bedside.posts.services import publish_post
from bedside.practices.models import Membership, Practice, Role, User


@dataclass(frozen=True)
class DemoArticle:
    text: ArticleText
    sources: tuple[tuple[str, str, str], ...]  # url, title, publisher


ARTICLES = (
    DemoArticle(
        ArticleText(
            title="Why you need a flu shot every year",
            summary=(
                "Flu viruses change and protection fades, so one shot each fall keeps you covered."
            ),
            body="""\
The flu shot is the best way to avoid the flu and its complications. Flu viruses change
from year to year, and the protection from last year's shot fades over the months.

- Get your shot in September or October if you can.
- Everyone from 6 months old should have one.
- A sore arm for a day is normal.

Ask us at your next visit, or come to our walk-in clinic.""",
            tags="flu, vaccines, prevention",
        ),
        (
            (
                "https://www.cdc.gov/flu/vaccines/keyfacts.html",
                "Key Facts About Seasonal Flu Vaccine",
                "Centers for Disease Control and Prevention",
            ),
            (
                "https://medlineplus.gov/fluvaccine.html",
                "Flu Shot",
                "MedlinePlus",
            ),
        ),
    ),
    DemoArticle(
        ArticleText(
            title="Blood pressure: what the numbers mean",
            summary=(
                "The top number is the push when your heart beats; the bottom is the rest "
                "between beats."
            ),
            body="""\
A blood pressure reading has two numbers, like 120/80. The top number is the pressure
when your heart beats. The bottom number is the pressure when your heart rests.

A reading under 120/80 is normal. If yours is often 130/80 or higher, talk with us:
small changes in salt, activity and sleep help, and medicine is there if you need it.""",
            tags="heart health, blood pressure",
        ),
        (
            (
                "https://www.heart.org/en/health-topics/high-blood-pressure/understanding-blood-pressure-readings",
                "Understanding Blood Pressure Readings",
                "American Heart Association",
            ),
        ),
    ),
    DemoArticle(
        ArticleText(
            title="Sunscreen that works",
            summary=(
                "Use SPF 30 or higher, put on enough, and put it on again every two hours outside."
            ),
            body="""\
Sunscreen protects your skin from burns and lowers your risk of skin cancer.

1. Choose "broad spectrum" with SPF 30 or higher.
2. Use about a shot glass full for your body.
3. Put it on again every two hours, and after swimming.

Shade, hats and long sleeves help too.""",
            tags="skin, prevention, summer",
        ),
        (
            (
                "https://www.cancer.org/cancer/risk-prevention/sun-and-uv/sun-protection.html",
                "How do I protect myself from UV rays?",
                "American Cancer Society",
            ),
        ),
    ),
    DemoArticle(
        ArticleText(
            title="Myth vs. fact: the flu shot and the flu",
            summary="The flu shot cannot give you the flu.",
            format=ArticleFormat.MYTH_FACT,
            myth="The flu shot can give you the flu.",
            fact="It cannot. The shot has no live virus that can make you sick.",
            body="""\
The viruses in flu shots are killed, or the shot holds only one protein from the virus.
Neither can cause the flu. Some people get a sore arm or feel tired for a day: that is
the body building protection, not the flu.""",
            tags="flu, vaccines, myths",
        ),
        (
            (
                "https://www.cdc.gov/flu/vaccine-safety/index.html",
                "Flu Vaccine Safety Information",
                "Centers for Disease Control and Prevention",
            ),
        ),
    ),
)

QUESTIONS = (
    (
        "My son is 4 and hates needles. Is the nasal spray flu vaccine OK for him instead?",
        "Can young children have the nasal spray flu vaccine instead of a shot?",
        "Nasal spray flu vaccine for children",
        """\
Yes, for most healthy children from 2 years old the nasal spray is a good choice. It is
not for children with some conditions, like asthma in young children, so ask us which one
fits your child. Either way, a yearly flu vaccine is what matters.""",
        "flu, vaccines, children",
    ),
    (
        "I started walking 30 minutes a day. Is that enough exercise or do I need the gym?",
        "Is walking 30 minutes a day enough exercise?",
        "Is a daily walk enough exercise?",
        """\
A brisk 30-minute walk on most days meets the main goal for adults: 150 minutes a week
of moderate activity. Adding muscle work twice a week, like stairs or carrying shopping,
helps even more. No gym needed.""",
        "exercise, heart health",
    ),
)

WAITING_QUESTION = "Do I need to fast before my cholesterol blood test next week?"


def _publish(post: Post, by: User) -> None:
    check_publishable(post)
    publish_post(by=by, post=post)


def add_health_library() -> tuple[list[Article], list[Answer]]:
    practice = Practice.objects.get(slug=riverside.SLUG)
    staff = {
        membership.role: membership.user
        for membership in Membership.objects.select_related("user").filter(
            practice=practice, role__in=[Role.CLINICIAN, Role.EDITOR]
        )
    }
    clinician, editor = staff[Role.CLINICIAN], staff[Role.EDITOR]
    read_on = timezone.localdate() - timedelta(days=3)
    articles = []
    for item in ARTICLES:
        article = create_article(
            by=editor,
            practice=practice,
            text=item.text,
            citations=[
                CitationInput(url=url, title=title, publisher=publisher, accessed_on=read_on)
                for url, title, publisher in item.sources
            ],
        )
        sign_off_review(by=clinician, article=article)
        _publish(article.post, editor)
        articles.append(article)
    demo_patient = riverside.LOGINS[-1].email
    patients = list(
        User.objects.filter(memberships__practice=practice, memberships__role=Role.PATIENT)
        .exclude(email=demo_patient)
        .order_by("pk")[:3]
    )
    answers = []
    for patient, (asked, rephrased, title, body, tags) in zip(patients, QUESTIONS, strict=False):
        question = ask_question(asker=patient, practice=practice, body=asked)
        answer = answer_question(
            by=clinician,
            question=question,
            question_text=rephrased,
            title=title,
            body=body,
            tags=tags,
        )
        _publish(answer.post, clinician)
        answers.append(answer)
    ask_question(
        asker=User.objects.get(email=demo_patient), practice=practice, body=WAITING_QUESTION
    )
    return articles, answers
