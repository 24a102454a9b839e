import io

import pytest
from django.core.management import call_command

from bedside.demo import riverside
from bedside.demo.seeding import seed_demo
from bedside.engagement.contests import draw
from bedside.engagement.contests.models import Contest, Entry
from bedside.engagement.contests.queries import published_draw
from bedside.engagement.contests.services import PhotoUpload, enter_contest
from bedside.notify.contest_winners import announce_contest_winners
from bedside.practices.models import User
from tests.factories import image_bytes

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_open_contest_the_demo_patient_can_enter_and_a_verified_draw():
    seed_demo()
    contests = {
        c.post.title: c
        for c in Contest.objects.select_related("post", "practice").filter(
            practice__slug=riverside.SLUG
        )
    }
    assert len(contests) == 2
    photo = contests["Photo contest: your favourite walk by the river"]
    assert photo.is_open and photo.post.is_published and not photo.is_drawn
    patient = User.objects.get(email=riverside.LOGINS[-1].email)
    upload = image_bytes()
    enter_contest(
        user=patient,
        contest=photo,
        photo=PhotoUpload(file=io.BytesIO(upload), size=len(upload), alt_text="The river path"),
        photo_consent=True,
    )

    basket = contests["Giveaway: a farmers' market basket"]
    assert basket.is_drawn and basket.has_closed
    assert Entry.objects.filter(contest=basket).count() == 24
    published = published_draw(basket)
    assert published is not None and draw.verify(published).ok
    assert len(published.winners) == 3 and len(published.alternates) == 2
    out = io.StringIO()
    call_command("verify_draw", practice=riverside.SLUG, contest=basket.post_id, stdout=out)
    assert "The draw verifies." in out.getvalue()
    assert announce_contest_winners() == 3
