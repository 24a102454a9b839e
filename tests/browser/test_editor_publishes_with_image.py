"""An editor writes a post in the studio, with Markdown and a photo, and publishes it."""

from pathlib import Path

from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from bedside.posts.models import Post, Status, Topic

ALT_TEXT = "The waiting room, freshly painted green, with new chairs"


def waiting_room_photo(folder: Path) -> Path:
    path = folder / "waiting-room.png"
    image = Image.new("RGB", (640, 480), "seagreen")
    ImageDraw.Draw(image).rectangle((80, 300, 560, 420), fill="saddlebrown")
    image.save(path, format="PNG")
    return path


def test_an_editor_publishes_a_post_with_markdown_and_an_image(
    page: Page, console, riverside, sign_in, tmp_path
):
    sign_in(riverside.editor.email)
    page.get_by_role("link", name="Studio: Riverside Family Practice").click()
    page.get_by_role("link", name="Write a post").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New post")

    page.get_by_label("Title").fill("A fresh coat of paint")
    page.get_by_label("Kind").select_option(label="Office life")
    page.get_by_role("radio", name="Non-medical", exact=True).check()
    body = page.get_by_label("Body")
    body.fill("We painted the **waiting room** green.\n\n- new chairs\n- more plants")
    body.press("End")  # the live preview follows the keyboard

    preview = page.get_by_role("region", name="Preview")
    expect(preview.locator("strong")).to_have_text("waiting room")
    expect(preview.locator("li")).to_have_text(["new chairs", "more plants"])

    first_image = page.get_by_role("group", name="Image 1")
    first_image.get_by_label("Image").set_input_files(waiting_room_photo(tmp_path))
    first_image.get_by_label("Alt text").fill(ALT_TEXT)
    page.get_by_role("button", name="Publish", exact=True).click()

    expect(page.get_by_text("Published. Your patients can see it now.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("A fresh coat of paint")
    page.get_by_role("link", name="Riverside Family Practice", exact=True).click()

    card = page.get_by_role("article").filter(has_text="A fresh coat of paint")
    expect(card.locator(".post-body strong")).to_have_text("waiting room")
    photo = card.get_by_role("img", name=ALT_TEXT)
    expect(photo).to_have_attribute("alt", ALT_TEXT)
    photo.scroll_into_view_if_needed()
    expect(photo).to_have_js_property("complete", True)
    assert photo.evaluate("img => img.naturalWidth") > 0
    post = Post.objects.get(title="A fresh coat of paint")
    assert (post.status, post.topic, post.author) == (
        Status.PUBLISHED,
        Topic.NON_MEDICAL,
        riverside.editor,
    )
    console.assert_clean()
