import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bedside.education import search
from bedside.posts.models import Kind, Post, Visibility
from bedside.practices.models import Role
from bedside.studio.services import publish
from tests.education.conftest import make_answer, make_article, reviewed_article
from tests.factories import PostFactory, member

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL"
)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def published_article(practice, clinician, **overrides):
    article = reviewed_article(practice, clinician, **overrides)
    publish(by=clinician, post=article.post)
    article.post.refresh_from_db()
    return article


def published_answer(practice, patient, staff, **overrides):
    answer = make_answer(practice, patient, staff, **overrides)
    publish(by=staff, post=answer.post)
    answer.post.refresh_from_db()
    return answer


def titles(results: search.Results) -> list[str]:
    return [hit.post.title for hit in results.hits]


def test_a_word_in_the_body_finds_the_published_article(practice, clinician):
    published_article(
        practice, clinician, title="Sleep well", body="Keep a regular bedtime and a dark room."
    )
    published_article(practice, clinician, title="Flu shots", body="Get one every fall.")

    results = search.search(practice, AnonymousUser(), query="bedtime")

    assert titles(results) == ["Sleep well"]
    assert results.ran
    assert "<mark>bedtime</mark>" in results.hits[0].snippet


def test_answers_are_found_by_their_rephrased_question_too(practice, patient, editor):
    published_answer(
        practice,
        patient,
        editor,
        question_text="Is a sore arm after a vaccine normal?",
        title="Sore arm after a shot",
        body="Yes: it fades in a day or two.",
    )

    by_title = search.search(practice, AnonymousUser(), query="sore arm")

    assert titles(by_title) == ["Sore arm after a shot"]
    assert by_title.hits[0].summary == "Is a sore arm after a vaccine normal?"


def test_drafts_other_practices_and_other_kinds_are_never_found(
    practice, other_practice, clinician
):
    make_article(practice, clinician, title="Draft about asthma", body="Asthma inhalers.")
    PostFactory(practice=practice, title="Asthma clinic news", body="Asthma day on Monday.")
    stranger = member(other_practice, Role.CLINICIAN)
    published_article(other_practice, stranger, title="Their asthma guide", body="Asthma.")

    assert search.search(practice, AnonymousUser(), query="asthma").hits == []


def test_patients_only_posts_are_found_by_the_practice_patients_alone(
    practice, other_practice, clinician, patient
):
    article = published_article(practice, clinician, title="Members' diabetes guide")
    article.post.visibility = Visibility.PATIENTS
    article.post.save(update_fields=["visibility"])
    outsider = member(other_practice, Role.PATIENT)

    assert titles(search.search(practice, patient, query="diabetes")) == ["Members' diabetes guide"]
    assert search.search(practice, AnonymousUser(), query="diabetes").hits == []
    assert search.search(practice, outsider, query="diabetes").hits == []


def test_a_topic_narrows_the_results_and_alone_lists_its_posts(practice, clinician):
    plain = {"body": "Rest.", "summary": "A short guide."}
    published_article(practice, clinician, title="Flu basics", tags="flu", **plain)
    published_article(practice, clinician, title="Flu and the heart", tags="heart, flu", **plain)
    published_article(practice, clinician, title="Heart health", tags="heart", **plain)

    heart_flu = search.search(practice, AnonymousUser(), query="flu", tag_slug="heart")
    heart = search.search(practice, AnonymousUser(), query="", tag_slug="heart")

    assert titles(heart_flu) == ["Flu and the heart"]
    assert heart.tag is not None and heart.tag.name == "heart"
    assert set(titles(heart)) == {"Flu and the heart", "Heart health"}


def test_the_topic_list_shows_only_topics_of_posts_the_viewer_can_find(practice, clinician):
    published_article(practice, clinician, title="Flu basics", tags="flu")
    make_article(practice, clinician, title="Draft", tags="secret-draft-topic")

    slugs = {t.slug for t in search.practice_tags(practice, AnonymousUser())}

    assert "flu" in slugs
    assert "secret-draft-topic" not in slugs


def test_an_empty_query_runs_no_search(practice, clinician):
    published_article(practice, clinician)

    for query in ("", "   ", None):
        results = search.search(practice, AnonymousUser(), query=query)
        assert not results.ran
        assert results.hits == []


@pytest.mark.parametrize("query", ["!!!", "?", "...---", "'\"", "()[]{}", "&|!:*"])
def test_a_punctuation_only_query_is_treated_as_empty(practice, clinician, query):
    published_article(practice, clinician)

    assert search.clean_query(query) == ""
    assert not search.search(practice, AnonymousUser(), query=query).ran


def test_a_query_of_only_common_words_finds_nothing_on_every_database(practice, clinician):
    published_article(practice, clinician, title="How the flu spreads")

    results = search.search(practice, AnonymousUser(), query="how the")

    assert results.ran
    assert results.hits == []


def test_a_very_long_query_is_cut_and_still_searched(practice, clinician):
    published_article(practice, clinician, title="Flu shots", body="Get one every fall.")
    query = "flu " + "x" * 5000

    results = search.search(practice, AnonymousUser(), query=query)

    assert results.ran and results.was_cut
    assert len(results.query) == search.MAX_QUERY_CHARS


def test_control_characters_and_nul_bytes_are_dropped(practice, clinician):
    published_article(practice, clinician, title="Flu shots", body="Get one every fall.")

    results = search.search(practice, AnonymousUser(), query="fl\x00u\x07 shots\u200b")

    assert "\x00" not in results.query
    assert results.ran


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=400))
def test_any_query_searches_without_error(practice, query):
    results = search.search(practice, AnonymousUser(), query=query)

    assert len(results.query) <= search.MAX_QUERY_CHARS
    assert all(ch.isprintable() or ch == " " for ch in results.query)


def test_the_snippet_escapes_what_the_writer_typed(practice, clinician):
    published_article(
        practice,
        clinician,
        title="Markup in a body",
        body="Allergies & <b>hay fever</b> <script>alert(1)</script> season.",
    )

    snippet = search.search(practice, AnonymousUser(), query="allergies").hits[0].snippet

    assert "<script>" not in snippet
    assert "<b>" not in snippet
    assert "&lt;" in snippet or "script" not in snippet
    assert "<mark>" in snippet


@on_postgresql
def test_full_text_search_matches_word_forms_and_excludes_with_a_minus(practice, clinician):
    published_article(practice, clinician, title="Vaccination for adults", body="Shots.")
    published_article(practice, clinician, title="Vaccines for children", body="Shots, flu too.")

    stems = search.search(practice, AnonymousUser(), query="vaccinated")
    without_flu = search.search(practice, AnonymousUser(), query="vaccines -flu")

    assert set(titles(stems)) == {"Vaccination for adults", "Vaccines for children"}
    assert titles(without_flu) == ["Vaccination for adults"]


@on_postgresql
def test_a_title_match_ranks_above_a_body_match(practice, clinician):
    published_article(practice, clinician, title="Exercise", body="Walking helps your knees.")
    published_article(practice, clinician, title="Knee pain", body="Rest, ice and stretching.")

    assert titles(search.search(practice, AnonymousUser(), query="knee")) == [
        "Knee pain",
        "Exercise",
    ]


@on_postgresql
def test_the_search_reads_the_gin_index(practice):
    # Enough rows, few of them about flu, for the planner to prefer the index it can use.
    Post.objects.bulk_create(
        PostFactory.build(
            practice=practice,
            author=None,
            kind=Kind.ARTICLE if n % 2 else Kind.ANSWER,
            title=f"Note {n}",
            body="Flu shots." if n % 100 == 0 else "Opening hours and parking.",
        )
        for n in range(1000)
    )
    query = search.SearchQuery("flu", search_type="websearch", config="english")
    found = (
        search.visible_posts(practice, AnonymousUser())
        .annotate(found=search.document())
        .filter(found=query)
        .only("id")
    )
    compiled, args = found.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE posts_post")
        cursor.execute("EXPLAIN " + compiled, args)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "education_post_search" in plan
    assert found.count() == 10


def test_the_search_page_lists_results_with_links_to_their_pages(
    client, practice, clinician, patient, editor
):
    article = published_article(practice, clinician, title="Flu shots", body="Every fall.")
    answer = published_answer(practice, patient, editor)

    response = client.get(reverse("education_search", args=[practice.slug]), {"q": "flu"})

    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{article.post.get_absolute_url()}"' in html
    assert f'href="{answer.post.get_absolute_url()}"' in html
    assert 'role="search"' in html
    assert '<label for="id_q">' in html


def test_the_search_page_handles_odd_input_politely(client, practice, clinician):
    published_article(practice, clinician, title="Flu shots")
    url = reverse("education_search", args=[practice.slug])

    punctuation = client.get(url, {"q": "?!?"})
    long = client.get(url, {"q": "flu " * 2000})
    unknown = client.get(url, {"q": "flu", "tag": "no-such-topic", "page": "x"})
    nothing = client.get(url, {"q": "zebra"})

    assert "punctuation alone finds nothing" in punctuation.content.decode()
    assert "searched its first 200 characters" in long.content.decode()
    assert unknown.status_code == 200
    assert "Flu shots" in unknown.content.decode()
    assert "No results" in nothing.content.decode()


def test_a_missing_practice_has_no_search_page(client):
    assert client.get(reverse("education_search", args=["nowhere"])).status_code == 404


def _search_queries(practice, count: int) -> int:
    clinician = member(practice, Role.CLINICIAN)
    for n in range(count):
        published_article(
            practice, clinician, title=f"Flu fact {n}", body="Flu shots help.", tags="flu, shots"
        )
    client = Client()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("education_search", args=[practice.slug]), {"q": "flu"})
    assert response.status_code == 200
    return len(captured)


def test_the_search_page_runs_the_same_queries_for_10_or_110_posts(practice, other_practice):
    assert _search_queries(practice, 10) == _search_queries(other_practice, 110)


def test_related_reading_prefers_shared_topics_then_similar_titles(practice, clinician):
    current = published_article(practice, clinician, title="Asthma at school", tags="asthma")
    both = published_article(practice, clinician, title="Inhalers", tags="asthma, children")
    similar = published_article(practice, clinician, title="School nurses and you", tags="nursing")
    published_article(practice, clinician, title="Unrelated gardening", tags="garden")
    draft = make_article(practice, clinician, title="Asthma draft", tags="asthma")

    related = search.related_reading(current.post, AnonymousUser(), limit=3)

    assert related[0] == both.post
    assert similar.post in related
    assert current.post not in related
    assert draft.post not in related


def test_related_reading_takes_three_queries_whatever_the_practice_size(practice, clinician):
    current = published_article(practice, clinician, title="Asthma at school", tags="asthma")
    for n in range(4):
        published_article(practice, clinician, title=f"School asthma tip {n}", tags="asthma")

    post = Post.objects.select_related("practice").get(pk=current.post.pk)  # as pages load it

    with CaptureQueriesContext(connection) as captured:
        related = search.related_reading(post, AnonymousUser(), limit=6)

    assert len(related) == 4
    assert len(captured) == 3, [q["sql"] for q in captured.captured_queries]


def test_the_related_reading_tag_renders_links_on_any_post_page(practice, clinician):
    current = published_article(practice, clinician, title="Asthma at school", tags="asthma")
    other = published_article(practice, clinician, title="Inhalers", tags="asthma")
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    template = Template("{% load reading %}{% related_reading post %}")

    html = template.render(Context({"post": current.post, "request": request}))

    assert "Related reading" in html
    assert f'href="{other.post.get_absolute_url()}"' in html
    assert template.render(Context({"post": other.post})).strip() == ""


def test_staff_see_the_grade_of_what_they_type_against_the_target(practice, clinician):
    practice.target_grade = 6
    practice.save()
    url = reverse("readability_check", args=[practice.slug])
    dense = (
        "Pharmacological intervention utilizing antihypertensive medications substantially "
        "diminishes cardiovascular morbidity among individuals with established hypertension."
    )

    plain = client_for(clinician).post(url, {"body": "Wash your hands. Use soap. Rinse well."})
    hard = client_for(clinician).post(url, {"body": dense})

    assert "at or under your target of grade 6" in plain.content.decode()
    html = hard.content.decode()
    assert "above your target of grade 6" in html
    assert "<strong>hypertension</strong> → high blood pressure" in html
    assert "too long" in html or "words:" in html


def test_the_panel_reads_the_field_it_names(practice, clinician):
    url = reverse("readability_check", args=[practice.slug])

    named = client_for(clinician).post(url, {"field": "answer_body", "answer_body": "Rest."})
    bad_name = client_for(clinician).post(url, {"field": "<x>", "body": "Drink water."})

    assert "1 word in 1 sentence" in named.content.decode()
    assert "2 words in 1 sentence" in bad_name.content.decode()


def test_an_empty_text_asks_the_writer_to_start(practice, clinician):
    url = reverse("readability_check", args=[practice.slug])

    html = client_for(clinician).post(url, {"body": "   "}).content.decode()

    assert "appears here as you type" in html


def test_only_staff_may_check_readability(client, practice, patient):
    url = reverse("readability_check", args=[practice.slug])

    assert client_for(patient).post(url, {"body": "Hi."}).status_code == 404
    assert client.post(url, {"body": "Hi."}).status_code == 302
    assert client_for(patient).get(url).status_code == 405


def test_the_composer_shows_the_live_readability_panel(practice, editor):
    html = client_for(editor).get(reverse("studio_compose", args=[practice.slug])).content.decode()

    assert f'hx-post="{reverse("readability_check", args=[practice.slug])}"' in html
    assert "input changed delay:500ms from:#id_body" in html


def test_article_and_comment_pages_show_related_reading_and_the_library_link(
    client, practice, clinician
):
    current = published_article(practice, clinician, title="Flu shots for adults", tags="flu")
    neighbour = published_article(practice, clinician, title="Flu in children", tags="flu")
    for url in (
        current.post.get_absolute_url(),
        reverse("post_detail", args=[practice.slug, current.post.pk]),
    ):
        html = client.get(url).content.decode()
        assert "Related reading" in html
        assert neighbour.post.get_absolute_url() in html
    article_page = client.get(current.post.get_absolute_url()).content.decode()
    assert reverse("education_search", args=[practice.slug]) in article_page
    home = client.get(practice.get_absolute_url()).content.decode()
    assert reverse("education_search", args=[practice.slug]) in home
