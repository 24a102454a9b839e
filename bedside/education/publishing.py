"""What must be true before an article or an answer goes public.

The studio calls ``check_publishable(post)`` before it publishes or schedules any post
(``bedside/studio/services.py``); for other kinds it does nothing. An article needs at
least one citation, a clinician's approval of every source outside the trusted list and,
where the practice requires it, a current clinical review. An answer needs the asker not
to have declined, and neither the rephrased question nor the answer may still hold a
personal identifier (``bedside.screening.identifiers``).
"""

from bedside.core.errors import Invalid
from bedside.education.models import Answer, Article
from bedside.education.services import education_settings_of, review_state, trusted_domains
from bedside.education.sources import is_trusted
from bedside.posts.models import Kind, Post
from bedside.screening import identifiers

REVIEW_PROBLEMS = {
    "never": "A clinician must sign off its medical review first.",
    "changed": "It changed since its medical review: a clinician must review it again.",
    "expired": "Its medical review has expired: a clinician must review it again.",
}


def article_problems(article: Article) -> list[str]:
    """Why ``article`` cannot be published yet; empty when it can."""
    problems = []
    citations = list(article.citations.all())
    if not citations:
        problems.append("Cite at least one source.")
    trusted = trusted_domains(article.practice)
    unapproved = [
        citation
        for citation in citations
        if not is_trusted(citation.domain, trusted) and citation.approved_at is None
    ]
    if unapproved:
        names = ", ".join(sorted({citation.domain for citation in unapproved}))
        problems.append(f"A clinician must approve the sources outside the trusted list: {names}.")
    state = review_state(article)
    if state != "current" and education_settings_of(article.practice).require_review:
        problems.append(REVIEW_PROBLEMS[state])
    return problems


def answer_problems(answer: Answer) -> list[str]:
    problems = []
    question = answer.question
    if question is not None and question.publication_declined:
        problems.append("The person who asked declined publication.")
    practice = answer.practice
    public = [practice.phone, practice.email]
    for name, text in (
        ("rephrased question", answer.question_text),
        ("title", answer.post.title),
        ("answer", answer.post.body),
    ):
        found = identifiers.find(text, ignore=public)
        if found:
            kinds = ", ".join(sorted({finding.label for finding in found}))
            problems.append(f"Remove the personal details from the {name}: {kinds}.")
    return problems


def publishing_problems(post: Post) -> list[str]:
    if post.kind == Kind.ARTICLE:
        article = Article.objects.select_related("practice", "post").filter(post=post).first()
        if article is None:
            return ["Write the article in the article editor: it needs its sources."]
        return article_problems(article)
    if post.kind == Kind.ANSWER:
        answer = (
            Answer.objects.select_related("practice", "post", "question").filter(post=post).first()
        )
        if answer is None:
            return ["Write the answer from the question queue."]
        return answer_problems(answer)
    return []


def check_publishable(post: Post) -> None:
    """Raise ``Invalid`` (no field: it is about the whole post) naming every reason
    ``post`` cannot go public yet, so the studio's form shows it above the fields."""
    problems = publishing_problems(post)
    if problems:
        raise Invalid("Not ready to publish. " + " ".join(problems))
