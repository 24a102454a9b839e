"""The approval workflow's pages: the review page, "Waiting for my review" and the policy."""

import pytest
from django.urls import reverse

from bedside.audit.models import AuditEvent
from bedside.posts.models import Kind, Post, Status
from bedside.practices.models import Role
from bedside.studio import workflow
from bedside.studio.approvals import POLICY_KINDS, policies_of
from bedside.studio.models import ApprovalPolicy, Approver, PostEvent, Step
from tests.factories.posts import PostFactory, PostImageFactory
from tests.factories.practices import member
from tests.factories.studio import set_approval_policy

pytestmark = pytest.mark.django_db

CLINICIAN, ADMIN = Approver.CLINICIAN, Approver.ADMIN


def in_review(practice, author, kind=Kind.ARTICLE, **fields):
    post = PostFactory(
        practice=practice, author=author, kind=kind, status=Status.DRAFT, published_at=None,
        **fields,
    )  # fmt: skip
    workflow.submit_for_review(by=author, post=post)
    return post


def review_url(post):
    return reverse("studio_post_review", args=[post.practice.slug, post.pk])


@pytest.fixture
def editor(practice):
    return member(practice, Role.EDITOR)


@pytest.fixture
def clinician(practice):
    return member(practice, Role.CLINICIAN, user__full_name="Amelia Hart")


@pytest.fixture
def policy(practice):
    set_approval_policy(practice, {Kind.ARTICLE: [CLINICIAN], Kind.ANNOUNCEMENT: [ADMIN]})


# --- the review page ------------------------------------------------------------------------


def test_a_clinician_reads_an_editors_article_in_review_and_approves_it(
    client, practice, policy, editor, clinician
):
    post = in_review(practice, editor, title="Sun and your skin")
    client.force_login(clinician)
    page = client.get(review_url(post))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sun and your skin" in html and "Request changes" in html
    assert "Submitted for review" in html  # the history
    response = client.post(review_url(post), {"action": "approve", "comment": "Accurate."})
    assert response.status_code == 302
    assert Post.objects.get(pk=post.pk).status == Status.APPROVED
    assert "Approved" in client.get(review_url(post)).content.decode()


def test_asking_for_changes_without_a_comment_shows_the_form_again(
    client, practice, policy, editor, clinician
):
    post = in_review(practice, editor)
    client.force_login(clinician)
    response = client.post(review_url(post), {"action": "request_changes", "comment": ""})
    assert response.status_code == 422
    assert "Say what should change" in response.content.decode()
    assert Post.objects.get(pk=post.pk).status == Status.IN_REVIEW


def test_after_asking_for_changes_the_reviewer_goes_back_to_the_queue(
    client, practice, policy, editor, clinician
):
    post = in_review(practice, editor)
    client.force_login(clinician)
    response = client.post(review_url(post), {"action": "request_changes", "comment": "Cite it."})
    assert response["Location"] == reverse("studio_approval_queue", args=[practice.slug])


def test_the_author_sees_no_approve_button_on_their_own_post(client, practice, policy, editor):
    post = in_review(practice, editor, kind=Kind.ANNOUNCEMENT)
    client.force_login(editor)
    html = client.get(review_url(post)).content.decode()
    assert 'value="approve"' not in html
    assert client.post(review_url(post), {"action": "approve"}).status_code == 403


def test_another_practices_staff_get_a_404(client, practice, other_practice, policy, editor):
    post = in_review(practice, editor)
    client.force_login(member(other_practice, Role.OWNER))
    assert client.get(review_url(post)).status_code == 404
    assert client.post(review_url(post), {"action": "approve"}).status_code == 404
    wrong_slug = reverse("studio_post_review", args=[other_practice.slug, post.pk])
    assert client.get(wrong_slug).status_code == 404
    assert Post.objects.get(pk=post.pk).status == Status.IN_REVIEW


def test_a_clinician_does_not_read_an_editors_plain_draft(client, practice, editor, clinician):
    post = PostFactory(practice=practice, author=editor, status=Status.DRAFT, published_at=None)
    client.force_login(clinician)
    assert client.get(review_url(post)).status_code == 404


def test_the_edit_page_offers_review_instead_of_publishing(client, practice, policy, editor):
    post = PostFactory(
        practice=practice, author=editor, kind=Kind.ANNOUNCEMENT, status=Status.DRAFT,
        published_at=None,
    )  # fmt: skip
    client.force_login(editor)
    html = client.get(reverse("studio_post_edit", args=[practice.slug, post.pk])).content.decode()
    assert 'value="submit"' in html
    assert 'value="publish"' not in html
    assert "Needs approval by: an admin (owner or admin)." in html


def test_submitting_from_the_edit_page_with_a_note(client, practice, policy, editor):
    post = PostFactory(
        practice=practice, author=editor, kind=Kind.ANNOUNCEMENT, status=Status.DRAFT,
        published_at=None, announcement_type="general",
    )  # fmt: skip
    client.force_login(editor)
    data = {
        "title": post.title, "kind": post.kind, "topic": post.topic,
        "visibility": post.visibility, "body": post.body, "spotlight": "",
        "announcement_type": "general", "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0", "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "4", "action": "submit", "comment": "Check the date, please.",
    }  # fmt: skip
    response = client.post(reverse("studio_post_edit", args=[practice.slug, post.pk]), data)
    assert response.status_code == 302
    event = PostEvent.objects.get(post=post)
    assert (event.step, event.comment) == (Step.SUBMITTED, "Check the date, please.")


# --- waiting for my review ------------------------------------------------------------------


def queue_url(practice):
    return reverse("studio_approval_queue", args=[practice.slug])


def test_the_queue_lists_what_the_viewer_may_approve(client, practice, policy, editor, clinician):
    waiting = in_review(practice, editor, title="Waiting article")
    in_review(practice, editor, kind=Kind.ANNOUNCEMENT, title="An admin's job")
    in_review(practice, clinician, title="My own article")
    done = in_review(practice, editor, title="Approved by a colleague")
    workflow.approve(by=member(practice, Role.CLINICIAN), post=done)
    client.force_login(clinician)
    html = client.get(queue_url(practice)).content.decode()
    assert "Waiting article" in html
    assert review_url(waiting) in html
    assert "An admin&#x27;s job" not in html and "An admin's job" not in html
    assert "My own article" not in html
    assert "Approved by a colleague" not in html


def test_an_editor_approves_nothing_and_is_told_so(client, practice, policy, editor):
    in_review(practice, member(practice, Role.ADMIN), title="Some article")
    client.force_login(editor)
    html = client.get(queue_url(practice)).content.decode()
    assert "approves no kind of post" in html and "Some article" not in html


def test_the_queue_costs_the_same_queries_for_3_or_30_posts(
    client, practice, policy, editor, clinician, django_assert_max_num_queries
):
    def fill(count):
        for number in range(count):
            post = in_review(practice, editor, title=f"Article {number}")
            PostImageFactory(post=post)

    client.force_login(clinician)
    client.get(queue_url(practice))  # warm the session and the role cache
    fill(3)
    with django_assert_max_num_queries(12) as small:
        assert client.get(queue_url(practice)).status_code == 200
    fill(27)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(queue_url(practice)).content.decode()
    assert html.count("Article ") >= 30


# --- the policy page ------------------------------------------------------------------------


def test_the_policy_page_seeds_nothing_required_and_saves_what_the_owner_ticks(client, practice):
    owner = member(practice, Role.OWNER)
    client.force_login(owner)
    page = client.get(reverse("studio_approvals", args=[practice.slug]))
    assert page.status_code == 200
    assert ApprovalPolicy.objects.filter(practice=practice).count() == len(POLICY_KINDS)
    assert set(policies_of(practice).values()) == {frozenset()}
    response = client.post(
        reverse("studio_approvals_save", args=[practice.slug]),
        {"needs-article": ["clinician", "admin"], "needs-announcement": ["admin"]},
    )
    assert response.status_code == 302
    policies = policies_of(practice)
    assert policies["article"] == {CLINICIAN, ADMIN}
    assert policies["announcement"] == {ADMIN}
    assert policies["team"] == frozenset()
    assert AuditEvent.objects.filter(action="approvals.configure", actor_id=owner.pk).exists()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.CLINICIAN, Role.COMPLIANCE])
def test_only_owners_and_admins_open_the_policy_page(client, practice, role):
    client.force_login(member(practice, role))
    assert client.get(reverse("studio_approvals", args=[practice.slug])).status_code == 403
    response = client.post(
        reverse("studio_approvals_save", args=[practice.slug]), {"needs-article": ["admin"]}
    )
    assert response.status_code == 403
    assert policies_of(practice)["article"] == frozenset()


def test_a_reviewer_who_may_not_edit_is_sent_from_the_edit_page_to_the_review(
    client, practice, policy, editor, clinician
):
    post = in_review(practice, editor)
    client.force_login(clinician)
    edit = reverse("studio_post_edit", args=[practice.slug, post.pk])
    response = client.get(edit)
    assert response.status_code == 302 and response["Location"] == review_url(post)
    assert client.post(edit, {"action": "archive"}).status_code == 403
    assert Post.objects.get(pk=post.pk).status == Status.IN_REVIEW
