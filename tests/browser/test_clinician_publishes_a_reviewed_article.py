"""A clinician writes an article in the studio, watches its reading grade change while
typing, cites a trusted source, signs the medical review off and publishes it."""

from playwright.sync_api import Page, expect

from bedside.education.models import Article
from bedside.posts.models import Status
from bedside.practices.models import Role
from tests.factories import member

PLAIN = "Wash your hands. Use soap. Rub for twenty seconds. Dry them well."
HARD = (
    "Comprehensive antimicrobial hygiene necessitates meticulous mechanical friction "
    "utilizing saponified surfactant preparations, particularly subsequent to defecation "
    "and preceding alimentary preparation, notwithstanding conventional inadequacies."
)


def test_a_clinician_writes_cites_reviews_and_publishes_an_article(
    page: Page, console, riverside, sign_in
):
    clinician = member(
        riverside.practice, Role.CLINICIAN, display_name="Dr. Hart", user__full_name="Amelia Hart"
    )
    sign_in(clinician.email)
    page.goto(f"/p/{riverside.slug}/studio/")
    page.get_by_role("navigation", name="Studio").get_by_role("link", name="New article").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New article")

    page.get_by_label("Title:", exact=True).fill("Clean hands, fewer colds")
    page.get_by_label("Summary").fill("Washing your hands well is the simplest way to stay well.")
    body = page.get_by_label("Article (for myth vs. fact: why)")
    grade = page.locator("#readability [data-grade]")
    body.fill(PLAIN)
    expect(grade).to_be_visible()
    plain_text = grade.inner_text()
    plain_grade = float(plain_text)
    body.fill(HARD)
    expect(grade).not_to_have_text(plain_text)
    assert float(grade.inner_text()) > plain_grade + 4
    body.fill(PLAIN + "\n\nDo it before you eat and after the bathroom.")
    expect(page.locator("#readability")).to_contain_text("at or under your target")

    source = page.get_by_role("group", name="Source 1")
    source.get_by_label("Link").fill("https://www.cdc.gov/clean-hands/about/index.html")
    source.get_by_label("Title of the page").fill("About Handwashing")
    source.get_by_label("Publisher").fill("CDC")
    page.get_by_label("Tags").fill("hygiene, colds")
    page.get_by_role("button", name="Save draft article").click()

    expect(page.get_by_text("Article saved as a draft.")).to_be_visible()
    expect(page.locator("#review-state")).to_have_text("Not reviewed yet.")
    expect(page.get_by_text("Trusted source", exact=True)).to_be_visible()
    page.get_by_role("button", name="Sign off the medical review").click()
    expect(page.locator("#review-state")).to_contain_text("Medically reviewed by Amelia Hart")
    expect(page.locator("#publish-problems")).to_have_text("Ready to publish.")

    page.get_by_role("link", name="Publish, schedule or take down").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clean hands, fewer colds")
    expect(page.get_by_text("Medically reviewed by Amelia Hart")).to_be_visible()
    expect(page.get_by_role("link", name="About Handwashing")).to_have_attribute(
        "href", "https://www.cdc.gov/clean-hands/about/index.html"
    )
    article = Article.objects.select_related("post").get(post__title="Clean hands, fewer colds")
    assert article.post.status == Status.PUBLISHED
    assert article.reviewed_by == clinician
    console.assert_clean()
