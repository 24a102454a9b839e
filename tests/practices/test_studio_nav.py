import pytest
from django.urls import reverse

from bedside.practices.models import Role
from tests.factories import member

pytestmark = pytest.mark.django_db

LINKS = {
    "New post": "studio_compose",
    "Practice profile": "studio_practice",
    "Team": "studio_team",
    "Invitations": "studio_invitations",
    "Members": "studio_members",
}
EXPECTED = {
    Role.OWNER: set(LINKS),
    Role.ADMIN: set(LINKS),
    Role.EDITOR: {"New post", "Team", "Invitations"},
    Role.CLINICIAN: {"New post"},
    Role.MODERATOR: set(),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_the_studio_nav_offers_only_the_pages_the_role_may_open(client, practice, role):
    client.force_login(member(practice, role))
    html = client.get(reverse("studio_posts", args=[practice.slug])).content.decode()
    nav = html[html.index('aria-label="Studio"') :]
    nav = nav[: nav.index("</nav>")]
    shown = {label for label, name in LINKS.items() if reverse(name, args=[practice.slug]) in nav}
    assert shown == EXPECTED[role]
    for label in shown:
        page = client.get(reverse(LINKS[label], args=[practice.slug]))
        assert page.status_code == 200, label
