"""Riverside's approval policy, and two posts waiting in review, through the studio's services.

Articles need a clinician's approval and announcements an admin's. The editor has
submitted an article (waiting in the clinician's "Waiting for my review") and an
announcement the admin has already commented on (waiting in the owner's and the admin's).
Seeded last, so the demo's published posts went out before the policy existed; the two
announcements already scheduled go through the admin's approval when it comes in, or they
would be held back when they fall due.
"""

from django.utils import timezone

from bedside.demo import riverside
from bedside.education.services import ArticleText, CitationInput, create_article
from bedside.posts.models import AnnouncementType, Kind, Post, Status, Topic
from bedside.posts.services import create_post
from bedside.practices.models import Practice, Role, User
from bedside.studio.models import Approver
from bedside.studio.services import schedule, unschedule
from bedside.studio.workflow import (
    approve,
    comment_on_review,
    configure_approvals,
    submit_for_review,
)


def _login(role: Role) -> User:
    email = next(login.email for login in riverside.LOGINS if login.role == role)
    return User.objects.get(email=email)


def add_approval_workflow() -> None:
    """Set the policy as the owner, then put two of the editor's posts in review."""
    practice = Practice.objects.get(slug=riverside.SLUG)
    owner, admin, editor = _login(Role.OWNER), _login(Role.ADMIN), _login(Role.EDITOR)
    configure_approvals(
        by=owner,
        practice=practice,
        required={Kind.ARTICLE: [Approver.CLINICIAN], Kind.ANNOUNCEMENT: [Approver.ADMIN]},
    )
    scheduled = Post.objects.filter(
        practice=practice, kind=Kind.ANNOUNCEMENT, status=Status.SCHEDULED
    ).order_by("scheduled_at")
    for post in scheduled:
        at = post.scheduled_at
        unschedule(by=editor, post=post)
        submit_for_review(by=editor, post=post)
        approve(by=admin, post=post, comment="Approved under the new policy.")
        schedule(by=editor, post=post, at=at)
    article = create_article(
        by=editor,
        practice=practice,
        text=ArticleText(
            title="Sunscreen: what the numbers on the bottle mean",
            summary="SPF 30, broad spectrum, reapplied every two hours: what each part means.",
            body="""\
SPF tells you how well a sunscreen blocks the rays that burn. **SPF 30** blocks about 97%
of them; higher numbers add little.

- Choose a *broad-spectrum* sunscreen: it also blocks the rays that age the skin.
- Use a full shot glass for your body, and put it on 15 minutes before you go out.
- Put more on every two hours, and after swimming or sweating.""",
            tags="skin, sun, prevention",
        ),
        citations=[
            CitationInput(
                url="https://www.cdc.gov/skin-cancer/sun-safety/index.html",
                title="Sun Safety",
                publisher="Centers for Disease Control and Prevention",
                accessed_on=timezone.localdate(),
            )
        ],
    )
    submit_for_review(
        by=editor, post=article.post, comment="For the start of summer: is the SPF advice right?"
    )
    announcement = create_post(
        by=editor,
        practice=practice,
        kind=Kind.ANNOUNCEMENT,
        topic=Topic.NON_MEDICAL,
        title="Evening hours on Thursdays from next month",
        body="From next month our main office stays open **until 8 pm** every Thursday.",
        visibility="public",
        announcement_type=AnnouncementType.GENERAL,
    )
    submit_for_review(by=editor, post=announcement)
    comment_on_review(
        by=admin,
        post=announcement,
        comment="Can we name the start date? Patients will ask.",
    )
