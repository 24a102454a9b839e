"""A visitor without an account reads a practice's public page, a post and its team."""

from playwright.sync_api import Page, expect


def test_a_visitor_reads_the_practice_page_a_post_and_the_team(page: Page, console, riverside):
    page.goto(riverside.practice.get_absolute_url())

    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Family Practice")
    expect(page.get_by_text("Family medicine")).to_be_visible()
    about = page.get_by_role("region", name="About us")
    expect(about).to_contain_text("We care for families across the valley")
    expect(about.locator("strong")).to_have_text("families")
    where = page.get_by_role("region", name="Where to find us")
    expect(where.locator("address")).to_contain_text("12 River Road, Springfield")
    expect(where.get_by_role("row", name="Monday")).to_contain_text("08:00–17:00")
    expect(where.get_by_role("row", name="Sunday")).to_contain_text("Closed")
    expect(page.get_by_role("link", name="Book an appointment")).to_have_attribute(
        "href", "https://booking.example.org/riverside"
    )

    news = page.get_by_role("region", name="News").get_by_role("article")
    expect(news).to_have_count(2)
    expect(news.nth(0)).to_contain_text("Flu shots are in")  # pinned, though older
    expect(news.nth(1)).to_contain_text("Saturday mornings are back")
    expect(page.get_by_text("Your new patient portal login")).to_have_count(0)

    page.get_by_role("link", name="Saturday mornings are back", exact=True).click()
    expect(page).to_have_url(f"{riverside.news.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Saturday mornings are back")
    expect(page.locator("article em")).to_have_text("9 to 12")

    page.get_by_role("link", name="Riverside Family Practice", exact=True).click()
    page.get_by_role("link", name="Meet the team").click()
    expect(page).to_have_url(f"/p/{riverside.slug}/team/")
    page.get_by_role("link", name="Amelia Hart, MD").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Amelia Hart, MD")
    expect(page.get_by_text("Family physician")).to_be_visible()
    expect(page.get_by_text("Dr. Hart has looked after families")).to_be_visible()
    expect(page.get_by_text("English, Spanish")).to_be_visible()
    console.assert_clean()


def test_a_visitor_cannot_open_a_patients_only_post_by_its_address(page: Page, console, riverside):
    address = riverside.patients_only.get_absolute_url()
    console.expect_status(address, 404)

    response = page.goto(address)

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We cannot find that page")
    expect(page.get_by_text("Your new patient portal login")).to_have_count(0)
    console.assert_clean()
