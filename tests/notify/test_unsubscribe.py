"""One-click unsubscribe (RFC 8058): a signed link that cannot be forged or turned on others."""

import pytest
from django.core import signing
from django.urls import reverse

from bedside.core.errors import NotFound
from bedside.notify.models import NotificationPreference
from bedside.notify.rules import UNSUBSCRIBE_SALT, read_unsubscribe_token, unsubscribe_token
from bedside.notify.services import unsubscribe_email
from tests.factories import member

pytestmark = pytest.mark.django_db


def link(user, practice) -> str:
    token = unsubscribe_token(user_id=user.pk, practice_id=practice.pk)
    return reverse("notify_unsubscribe", kwargs={"token": token})


def opted_out(user, practice) -> bool:
    preference = NotificationPreference.objects.filter(user=user, practice=practice).first()
    return preference is not None and preference.email_opted_out_at is not None


def test_get_shows_a_confirmation_and_changes_nothing(client, practice):
    patient = member(practice)

    response = client.get(link(patient, practice))

    assert response.status_code == 200
    assert b"Unsubscribe from these emails" in response.content
    assert not opted_out(patient, practice)


def test_one_click_post_without_csrf_token_or_session_unsubscribes(practice):
    from django.test import Client

    patient = member(practice)
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(link(patient, practice), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert opted_out(patient, practice)


def test_unsubscribing_twice_is_harmless(client, practice):
    patient = member(practice)
    client.post(link(patient, practice))
    first = NotificationPreference.objects.get(user=patient).email_opted_out_at

    client.post(link(patient, practice))

    assert NotificationPreference.objects.get(user=patient).email_opted_out_at == first


def test_a_token_only_unsubscribes_its_own_person_and_practice(client, practice, other_practice):
    patient, neighbour = member(practice), member(practice)
    member(other_practice, user=patient)

    client.post(link(patient, practice))

    assert opted_out(patient, practice)
    assert not opted_out(neighbour, practice)
    assert not opted_out(patient, other_practice)


@pytest.mark.parametrize(
    "forge",
    [
        lambda user, practice: "not-a-token",
        # The right shape, signed with another key.
        lambda user, practice: signing.dumps(
            {"u": user.pk, "p": practice.pk}, key="attacker", salt=UNSUBSCRIBE_SALT
        ),
        # Signed by us, but for another purpose (another salt).
        lambda user, practice: signing.dumps({"u": user.pk, "p": practice.pk}),
        # Someone else's genuine token with the user id swapped in the payload.
        lambda user, practice: swap_user(
            unsubscribe_token(user_id=user.pk + 1, practice_id=practice.pk), user.pk, practice.pk
        ),
    ],
    ids=["garbage", "foreign-key", "other-salt", "edited-payload"],
)
def test_forged_tokens_are_refused(client, practice, forge):
    patient = member(practice)
    member(practice)  # user.pk + 1 exists
    token = forge(patient, practice)

    for method in (client.get, client.post):
        response = method(reverse("notify_unsubscribe", kwargs={"token": token}))
        assert response.status_code == 404
    assert read_unsubscribe_token(token) is None
    with pytest.raises(NotFound):
        unsubscribe_email(token=token)
    assert not opted_out(patient, practice)


def swap_user(token: str, user_id: int, practice_id: int) -> str:
    """Someone else's token with its payload rewritten to name ``user_id``, signature kept."""
    _, _, signature = token.rpartition(":")
    payload = signing.b64_encode(signing.JSONSerializer().dumps({"u": user_id, "p": practice_id}))
    return f"{payload.decode()}:{signature}"


def test_a_token_for_someone_who_left_the_practice_is_refused(client, practice):
    patient = member(practice)
    url = link(patient, practice)
    patient.memberships.all().delete()

    assert client.post(url).status_code == 404


def test_turning_email_back_on_opts_back_in(client, practice):
    patient = member(practice)
    client.post(link(patient, practice))
    client.force_login(patient)

    client.post(
        reverse("notify_preferences", args=[practice.slug]),
        {"kinds": ["announcement"], "in_app": "on", "email": "on", "mode": "immediate"},
    )

    assert not opted_out(patient, practice)
