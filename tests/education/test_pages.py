import pytest
from django.test import Client
from django.urls import reverse

from bedside.education.models import Article, Question, QuestionStatus
from bedside.education.services import decline_publication, education_settings_of
from bedside.posts.models import Status
from bedside.practices.models import Role
from bedside.studio.services import publish
from tests.education.conftest import make_answer, make_article, reviewed_article
from tests.factories import member

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_published_article_shows_its_review_sources_and_myth_and_fact(
    client, practice, clinician
):
    article = reviewed_article(
        practice,
        clinician,
        format="myth_fact",
        myth="The flu shot gives you the flu.",
        fact="It cannot: it holds no live virus.",
    )
    publish(by=clinician, post=article.post)
    response = client.get(article.post.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Medically reviewed by <strong>Dr. Ana Patel</strong>" in html
    assert "The flu shot gives you the flu." in html
    assert 'href="https://www.cdc.gov/flu/prevent/flushot.htm"' in html
    assert "Key facts about seasonal flu vaccine" in html


def test_a_draft_article_is_not_found_by_patients(practice, clinician, patient):
    article = make_article(practice, clinician)
    assert client_for(patient).get(article.post.get_absolute_url()).status_code == 404


def test_a_published_answer_shows_the_rephrased_question_never_the_asker(
    client, practice, patient, editor
):
    answer = make_answer(practice, patient, editor)
    publish(by=editor, post=answer.post)
    html = client.get(answer.post.get_absolute_url()).content.decode()
    assert "Can I take a pain reliever after a flu shot?" in html
    assert "ibuprofen with my flu shot" not in html
    assert "Sam" not in html


def test_the_ask_page_warns_it_is_not_for_emergencies(practice, patient):
    practice.phone = "555-010-2000"
    practice.save()
    html = client_for(patient).get(reverse("ask_question", args=[practice.slug])).content.decode()
    assert "Not for emergencies or personal medical advice" in html
    assert 'href="tel:911"' in html and 'href="tel:988"' in html
    assert "555-010-2000" in html
    assert '<label for="id_body">' in html


def test_a_patient_asks_and_sees_their_question(practice, patient):
    client = client_for(patient)
    url = reverse("ask_question", args=[practice.slug])
    response = client.post(url, {"body": "Should my kids get the nasal flu vaccine?"})
    assert response.status_code == 302
    assert Question.objects.get(asker=patient).status == QuestionStatus.NEW
    assert "nasal flu vaccine" in client.get(url).content.decode()


def test_an_empty_question_is_shown_again_with_the_error(practice, patient):
    response = client_for(patient).post(reverse("ask_question", args=[practice.slug]), {"body": ""})
    assert response.status_code == 422
    assert "field-error" in response.content.decode()


def test_the_ask_page_is_for_members_only(practice, other_practice):
    outsider = member(other_practice)
    response = client_for(outsider).get(reverse("ask_question", args=[practice.slug]))
    assert response.status_code == 404


def test_the_asker_declines_publication_from_the_ask_page(practice, patient, editor):
    answer = make_answer(practice, patient, editor)
    question = answer.question
    client = client_for(patient)
    page = client.get(reverse("ask_question", args=[practice.slug])).content.decode()
    assert "Don't publish an answer to my question" in page
    client.post(reverse("question_decline", args=[practice.slug, question.pk]))
    question.refresh_from_db()
    assert question.publication_declined


def test_nobody_declines_someone_elses_question(practice, patient, editor):
    answer = make_answer(practice, patient, editor)
    other = member(practice)
    url = reverse("question_decline", args=[practice.slug, answer.question.pk])
    assert client_for(other).post(url).status_code == 404


def test_a_clinician_writes_an_article_with_a_source_then_signs_it_off(practice, clinician):
    client = client_for(clinician)
    data = {
        "format": "standard",
        "title": "Washing hands",
        "summary": "Soap and water for 20 seconds.",
        "body": "Wash your hands often.",
        "tags": "hygiene",
        "visibility": "public",
        "citations-TOTAL_FORMS": "3",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "20",
        "citations-0-url": "https://www.cdc.gov/clean-hands/",
        "citations-0-title": "Clean hands",
        "citations-0-publisher": "CDC",
        "citations-0-accessed_on": "2026-10-01",
    }
    response = client.post(reverse("studio_article_new", args=[practice.slug]), data)
    assert response.status_code == 302
    article = Article.objects.get(post__title="Washing hands")
    page = client.get(response["Location"]).content.decode()
    assert "Not reviewed yet." in page
    assert "Trusted source" in page
    client.post(reverse("studio_article_review", args=[practice.slug, article.post_id]))
    page = client.get(response["Location"]).content.decode()
    assert "Medically reviewed by <strong>Dr. Ana Patel</strong>" in page
    assert "Ready to publish." in page


def test_a_bad_source_link_is_shown_next_to_its_row(practice, clinician):
    data = {
        "format": "standard", "title": "T", "summary": "S", "body": "B", "visibility": "public",
        "citations-TOTAL_FORMS": "2", "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0", "citations-MAX_NUM_FORMS": "20",
        "citations-0-url": "ftp://cdc.gov/x", "citations-0-title": "X",
        "citations-0-publisher": "CDC",
    }  # fmt: skip
    response = client_for(clinician).post(reverse("studio_article_new", args=[practice.slug]), data)
    assert response.status_code == 422
    assert not Article.objects.exists()
    html = response.content.decode()
    assert 'value="ftp://cdc.gov/x"' in html
    assert "Only https:// or http:// links." in html


def test_publishing_from_the_post_page_explains_what_is_missing(practice, clinician):
    article = make_article(practice, clinician)
    response = client_for(clinician).post(
        reverse("studio_post_edit", args=[practice.slug, article.post_id]),
        {
            "action": "publish",
            "title": article.post.title,
            "kind": "article",
            "topic": "medical",
            "visibility": "public",
            "body": article.post.body,
            "images-TOTAL_FORMS": "4",
            "images-INITIAL_FORMS": "0",
            "images-MIN_NUM_FORMS": "0",
            "images-MAX_NUM_FORMS": "4",
        },
    )
    assert response.status_code == 422
    assert "sign off its medical review" in response.content.decode()
    article.post.refresh_from_db()
    assert article.post.status == Status.DRAFT


def test_the_review_queue_lists_unreviewed_and_changed_articles(practice, clinician, editor):
    fresh = reviewed_article(practice, clinician, title="All good")
    make_article(practice, editor, title="Needs a look")
    html = client_for(editor).get(reverse("studio_review_queue", args=[practice.slug]))
    text = html.content.decode()
    assert "Needs a look" in text and "Never reviewed" in text
    assert fresh.post.title not in text


def test_the_question_queue_is_for_answering_staff(practice, question, editor):
    url = reverse("studio_questions", args=[practice.slug])
    assert question.body in client_for(editor).get(url).content.decode()
    moderator = member(practice, Role.MODERATOR)
    assert client_for(moderator).get(url).status_code == 403


def test_answering_flags_identifiers_in_the_question(practice, patient, editor):
    question = Question.objects.create(
        practice=practice, asker=patient, body="I'm John, call 555-201-4477 about my rash."
    )
    url = reverse("studio_question_answer", args=[practice.slug, question.pk])
    page = client_for(editor).get(url).content.decode()
    assert "phone number" in page
    response = client_for(editor).post(
        url,
        {
            "question_text": "What helps an itchy rash?",
            "title": "Itchy rash",
            "body": "Cool water.",
        },
    )
    assert response.status_code == 302
    answer_page = client_for(editor).get(response["Location"]).content.decode()
    assert "Ready to publish: no personal details found." in answer_page


def test_the_answer_page_tells_staff_the_asker_declined(practice, patient, editor):
    answer = make_answer(practice, patient, editor)
    decline_publication(asker=patient, question=answer.question)
    url = reverse("studio_answer_edit", args=[practice.slug, answer.post_id])
    assert "declined publication" in client_for(editor).get(url).content.decode()


def test_admins_add_a_trusted_source_and_change_the_review_period(practice, admin):
    client = client_for(admin)
    url = reverse("studio_trusted_sources", args=[practice.slug])
    assert "medlineplus.gov" in client.get(url).content.decode()
    client.post(url, {"domain": "kidshealth.org", "name": "KidsHealth"})
    assert "kidshealth.org" in client.get(url).content.decode()
    client.post(
        reverse("studio_education_settings", args=[practice.slug]),
        {"review_valid_months": "24", "require_review": "on"},
    )
    assert education_settings_of(practice).review_valid_months == 24


def test_clinicians_cannot_edit_the_trusted_list(practice, clinician):
    url = reverse("studio_trusted_sources", args=[practice.slug])
    assert client_for(clinician).get(url).status_code == 403


def test_studio_pages_are_not_found_for_patients(practice, patient, clinician):
    article = make_article(practice, clinician)
    client = client_for(patient)
    for url in (
        reverse("studio_article_new", args=[practice.slug]),
        reverse("studio_article_edit", args=[practice.slug, article.post_id]),
        reverse("studio_review_queue", args=[practice.slug]),
        reverse("studio_questions", args=[practice.slug]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_article_editor_has_the_live_readability_panel(practice, clinician):
    page = client_for(clinician).get(reverse("studio_article_new", args=[practice.slug]))
    html = page.content.decode()
    assert f'hx-post="{reverse("readability_check", args=[practice.slug])}"' in html
    assert "from:#id_body" in html
