"""Patient data rights on a phone: a patient downloads their data, changes their email by
following the link mailed over real SMTP, then deletes their account keeping their comment,
which from then on shows as written by "Former member"."""

import email
import json
import re
import zipfile
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from bedside.posts.services import add_comment
from bedside.practices.models import User
from tests.factories import member

PASSWORD = "correct horse battery"
NEW_ADDRESS = "sunny.walker@mail.example"
COMMENT = "Saturday mornings suit our family so well, thank you!"


@pytest.fixture
def context_options() -> dict[str, Any]:
    return {"viewport": {"width": 320, "height": 720}, "accept_downloads": True}


def _letters(smtp_sink, address: str) -> list[EmailMessage]:
    found = []
    for _sender, recipients, raw in smtp_sink.messages:
        if address in recipients:
            found.append(email.message_from_bytes(raw, policy=policy.default))
    return found


def _text(letter: EmailMessage) -> str:
    part = letter.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.url


def test_a_patient_downloads_changes_email_and_leaves_keeping_their_words(
    page: Page, console, riverside, sign_in, smtp_sink, tmp_path
):
    patient = member(riverside.practice, display_name="Sunny Walker")
    old_address = patient.email
    add_comment(user=patient, post=riverside.news, body=COMMENT)

    sign_in(old_address)
    page.get_by_role("link", name="Account").click()
    page.get_by_role("link", name="Privacy and your data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy and your data")
    _fits(page)

    # Download my data: the zip from the download event holds the comment and the name.
    with page.expect_download() as waiting:
        page.get_by_role("button", name="Download my data").click()
    download = waiting.value
    assert re.fullmatch(r"bedside-my-data-\d{4}-\d{2}-\d{2}\.zip", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        data = json.loads(archive.read("data.json"))
        readable = archive.read("index.html").decode()
    assert [c["comment"] for c in data["comments"]] == [COMMENT]
    assert [m["display_name"] for m in data["memberships"]] == ["Sunny Walker"]
    assert COMMENT in readable and "<script" not in readable

    # Change my email: nothing changes until the link mailed to the new address is followed.
    page.get_by_role("button", name="Change my email").click()
    page.get_by_label("Change to").fill(NEW_ADDRESS)
    page.get_by_role("button", name="Change Email").click()
    expect(page.get_by_text("Your email address is still pending verification.")).to_be_visible()
    _fits(page)
    assert User.objects.get(pk=patient.pk).email == old_address
    [verification] = _letters(smtp_sink, NEW_ADDRESS)
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", _text(verification))
    assert match, _text(verification)
    page.goto(match.group(1))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text(f"You have confirmed {NEW_ADDRESS}.")).to_be_visible()
    assert User.objects.get(pk=patient.pk).email == NEW_ADDRESS
    [notice] = _letters(smtp_sink, old_address)
    assert NEW_ADDRESS in _text(notice)

    # Delete my account, keeping what I wrote under "Former member".
    page.get_by_role("link", name="Account").click()
    expect(page.get_by_label("Current email")).to_have_value(NEW_ADDRESS)
    page.get_by_role("link", name="Privacy and your data").click()
    page.get_by_role("link", name="Delete my account…").click()
    _fits(page)
    page.get_by_label("Keep my comments and group posts").check()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is deleted")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert not User.objects.filter(pk=patient.pk).exists()
    goodbye = _letters(smtp_sink, NEW_ADDRESS)[-1]
    assert goodbye["Subject"] == "Your Bedside account has been deleted"

    page.goto(riverside.news.get_absolute_url())
    comment = page.locator(".comments li", has_text=COMMENT)
    expect(comment).to_contain_text("Former member")
    expect(page.get_by_text("Sunny Walker")).to_have_count(0)
    console.assert_clean()
