"""Browser journeys: Playwright's sync API driving Debian's Chromium against the live server.

The browser is the system's ``chromium`` — never ``playwright install``. Without one the
suite is skipped on a developer's machine and fails loudly in CI (``CI`` set), so a CI image
that lost its browser cannot pass in silence.

Every page a journey opens is watched: a console error, an uncaught exception or a Content
Security Policy violation fails the test. A failing test leaves a full-page screenshot in
``test-results/``.
"""

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt
from django.core.cache import cache
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Response,
    WebError,
    expect,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError
from pytest_django.live_server_helper import LiveServer

from bedside.demo.two_factor import DEMO_TOTP_SECRET
from bedside.practices.mfa import has_second_factor, needs_second_factor
from bedside.practices.models import User
from bedside.screening import identifiers
from tests.browser.riverside import Riverside, build_riverside

# Playwright's sync API keeps an asyncio loop registered on this thread; without this Django
# refuses every ORM call made by the tests and fixtures as "async-unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

BROWSER_TESTS = Path(__file__).resolve().parent
RESULTS_DIR = BROWSER_TESTS.parents[1] / "test-results"
PASSWORD = "correct horse battery"  # what tests.factories.UserFactory sets
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Runs before any page script; turns every CSP violation into a console error we collect.
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    `CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`
    + ` in ${event.sourceFile || document.location.href}:${event.lineNumber}`
  );
});
"""
_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


def pytest_configure(config: pytest.Config) -> None:
    # xdist registers this marker itself; declared here too for runs with ``-p no:xdist``.
    config.addinivalue_line("markers", "xdist_group(name): run the group on one xdist worker")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # tryfirst: xdist's --dist loadgroup reads the group marker in this same hook.
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report: pytest.TestReport = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


def _failed(item: pytest.Item) -> bool:
    reports = item.stash.get(_REPORTS, {})
    return any(report.failed for report in reports.values())


class ConsoleWatch:
    """Collects what a journey must never meet: console errors (which include CSP violations
    and failed loads), uncaught exceptions, and server errors on any request."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self._expected_statuses: dict[str, int] = {}

    def expect_status(self, path: str, status: int) -> None:
        """A page the journey opens on purpose that answers with an error status (a 404):
        Chromium reports it as a failed load, which is then expected, not a problem."""
        self._expected_statuses[path] = status

    def watch(self, context: BrowserContext) -> None:
        context.on("console", self._on_console)
        context.on("weberror", self._on_web_error)
        context.on("response", self._on_response)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            where = message.location.get("url", "")
            if self._is_expected_failed_load(message.text, where):
                return
            self.problems.append(f"console {message.type}: {message.text} ({where})")

    def _is_expected_failed_load(self, text: str, url: str) -> bool:
        path = urlsplit(url).path
        status = self._expected_statuses.get(path)
        return status is not None and text.startswith(
            f"Failed to load resource: the server responded with a status of {status} "
        )

    def _on_web_error(self, error: WebError) -> None:
        self.problems.append(f"uncaught exception: {error.error}")

    def _on_response(self, response: Response) -> None:
        if response.status >= 500:
            self.problems.append(f"server error {response.status}: {response.url}")

    def assert_clean(self) -> None:
        assert self.problems == [], "the browser reported:\n" + "\n".join(self.problems)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("/usr/bin/chromium")
    if path is None:
        reason = (
            "Debian's chromium is not installed (`make chromium` or `apt-get install chromium`;"
            " never `playwright install`)"
        )
        if os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}:
            pytest.fail(f"{reason}: CI must run the browser suite", pytrace=False)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Browser]:
    # Module scope: the asyncio loop Playwright runs stops after each journey module instead
    # of lingering under the other tests this process runs.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def console() -> ConsoleWatch:
    return ConsoleWatch()


@pytest.fixture
def context_options() -> dict[str, Any]:
    """A desktop window; a module overrides this fixture to browse as a phone."""
    return {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def context(
    browser: Browser,
    live_server: LiveServer,
    transactional_db: None,
    console: ConsoleWatch,
    context_options: dict[str, Any],
) -> Iterator[BrowserContext]:
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", timezone_id="UTC", **context_options
    )
    context.set_default_timeout(10_000)
    context.add_init_script(CSP_REPORTER)
    console.watch(context)
    yield context
    context.close()


@pytest.fixture
def page(
    context: BrowserContext, console: ConsoleWatch, request: pytest.FixtureRequest
) -> Iterator[Page]:
    page = context.new_page()
    yield page
    if _failed(request.node):
        _keep_evidence(page, console, request.node.nodeid)
    else:
        # Also for a journey that forgot to ask: a clean console is part of every journey.
        console.assert_clean()
    page.close()


def _keep_evidence(page: Page, console: ConsoleWatch, nodeid: str) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', nodeid)}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
    except PlaywrightError as error:  # a crashed page must not hide the real failure
        print(f"no screenshot: {error}")
    else:
        print(f"screenshot: {path}")
    print("\n".join(["browser console:", *console.problems]))


@pytest.fixture(scope="session", autouse=True)
def identifier_guard_loaded() -> None:
    """The identifier guard loads its recognizers on first use, seconds on a busy machine:
    once here, not inside the first studio page load a journey is timing."""
    identifiers.find("Call us on 555-010-2000.")


@pytest.fixture(autouse=True)
def staff_must_use_two_factor(settings: Any) -> None:
    """The live server enforces two-factor sign-in for staff, as production does (the unit
    tests' settings turn it off because they sign in with ``force_login``)."""
    settings.BEDSIDE_STAFF_MFA_REQUIRED = True


def _authenticator_code(user: User) -> str:
    """The current code of the user's authenticator app, computed as the app would
    (RFC 6238 with allauth's own helpers); and usable again, though allauth refuses a code
    twice in its period, so that a journey may sign the same person in twice in a minute."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    cache.delete(TOTP(authenticator)._get_used_cache_key(code))
    return code


@pytest.fixture
def sign_in(page: Page) -> Callable[..., None]:
    """Signs in through the real allauth login form and waits to leave it.

    Staff answer the second step with their authenticator app's code; one who has none yet
    gets the demo's authenticator first, as if they had set it up on an earlier day.
    """

    def sign_in(email: str, password: str = PASSWORD) -> None:
        user = User.objects.get(email=email)
        if needs_second_factor(user) and not has_second_factor(user):
            TOTP.activate(user, DEMO_TOTP_SECRET)
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password:", exact=True).fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        # A code typed as its 30 seconds run out may arrive late: the second try has time.
        for _ in range(2):
            if urlsplit(page.url).path != "/accounts/2fa/authenticate/":
                break
            page.locator("input[name=code]").fill(_authenticator_code(user))
            with page.expect_navigation():
                page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    return sign_in


@pytest.fixture
def riverside(transactional_db: None) -> Riverside:
    return build_riverside()
