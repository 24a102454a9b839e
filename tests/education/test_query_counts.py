import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bedside.education.services import ask_question, education_settings_of
from tests.education.conftest import make_article
from tests.factories import member

pytestmark = pytest.mark.django_db


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_review_queue_costs_the_same_for_10_or_110_articles(practice, clinician):
    client = Client()
    client.force_login(clinician)
    url = reverse("studio_review_queue", args=[practice.slug])
    education_settings_of(practice)  # the first read seeds the trusted list, once
    for i in range(10):
        make_article(practice, clinician, title=f"Article {i}")
    few = queries_for(client, url)
    for i in range(100):
        make_article(practice, clinician, title=f"More {i}")
    assert queries_for(client, url) == few


def test_the_question_queue_costs_the_same_for_10_or_110_questions(practice, editor):
    client = Client()
    client.force_login(editor)
    url = reverse("studio_questions", args=[practice.slug])
    askers = [member(practice) for _ in range(10)]
    for i in range(10):
        ask_question(asker=askers[i], practice=practice, body=f"Question {i}?")
    few = queries_for(client, url)
    for i in range(100):
        ask_question(asker=askers[i % 10], practice=practice, body=f"More {i}?")
    assert queries_for(client, url) == few


def test_the_ask_page_costs_the_same_for_1_or_30_questions(practice, patient, editor):
    client = Client()
    client.force_login(patient)
    url = reverse("ask_question", args=[practice.slug])
    ask_question(asker=patient, practice=practice, body="First?")
    few = queries_for(client, url)
    for i in range(29):
        ask_question(asker=patient, practice=practice, body=f"Again {i}?")
    assert queries_for(client, url) == few
