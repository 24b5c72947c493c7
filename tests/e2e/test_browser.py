"""The built SPA in a real Chromium against the live server (gunicorn + huey_consumer).

Walks the issue's story from an empty system: create an organization and
two users in the UI, add and complete tasks as the admin, export them, watch
the export finish, download the CSV, then check that a member has no Export
tab. Each step leaves a screenshot in test-artifacts/e2e/.
"""
import csv
import io
import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DIST_INDEX = ROOT / "frontend" / "dist" / "index.html"
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CSV_COLUMNS = ["id", "title", "description", "status", "createdBy", "createdAt", "updatedAt", "completedAt"]


@pytest.fixture
def page(live_server):
    """A fresh browser page on the live server; fails the test on any uncaught script error."""
    if not DIST_INDEX.is_file():
        pytest.fail("frontend/dist is missing: run `npm ci && npm run build` in frontend/ first")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors = []
        page.on("pageerror", lambda error: errors.append(error))
        yield page
        browser.close()
    assert not errors, f"uncaught errors in the page: {errors}"


class Steps:
    """Numbered screenshots: test-artifacts/e2e/01-open.png, 02-..."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def shot(self, name):
        self.count += 1
        self.page.screenshot(path=ARTIFACTS / f"{self.count:02d}-{name}.png", full_page=True)


def add_user(page, name, email, role):
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Role", exact=True).select_option(role)
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_text(f"Added {name} as {role}.")).to_be_visible()


def add_task(page, title, description):
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Description", exact=True).fill(description)
    page.get_by_role("button", name="Add task").click()
    expect(page.get_by_role("listitem").filter(has_text=title)).to_be_visible()
    expect(page.get_by_label("Title", exact=True)).to_have_value("")


def test_admin_exports_tasks_and_member_sees_no_export_tab(page, live_server):
    steps = Steps(page)
    suffix = uuid.uuid4().hex[:8]
    org_name = f"E2E Corp {suffix}"
    tabs = page.get_by_role("tablist")

    # An empty system opens where the first organization is created. Other tests
    # of the same session may have made organizations already; then open that tab.
    page.goto(live_server.url)
    if _has_organizations(page):
        tabs.get_by_role("tab", name="Organizations").click()
    expect(tabs.get_by_role("tab", name="Organizations")).to_have_attribute("aria-selected", "true")
    steps.shot("open")

    # The API's validation message appears next to the field.
    page.get_by_label("Organization name", exact=True).fill(org_name)
    page.get_by_label("Schema name", exact=True).fill("pg_reserved")
    page.get_by_role("button", name="Create organization").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Schema name", exact=True)).to_have_attribute("aria-invalid", "true")
    steps.shot("organization-validation-error")

    page.get_by_label("Schema name", exact=True).fill(f"e2e_{suffix}")
    page.get_by_role("button", name="Create organization").click()
    expect(page.get_by_label("Tenant", exact=True).locator("option:checked")).to_have_text(org_name)
    steps.shot("organization-created")

    add_user(page, "Ada Admin", f"ada-{suffix}@example.com", "admin")
    add_user(page, "Max Member", f"max-{suffix}@example.com", "member")
    expect(page.get_by_role("listitem").filter(has_text="Max Member")).to_contain_text("member")
    steps.shot("users-added")

    # The choice of tenant and user survives a reload.
    page.get_by_label("User", exact=True).select_option(label="Ada Admin (admin)")
    page.reload()
    expect(page.get_by_label("User", exact=True).locator("option:checked")).to_have_text("Ada Admin (admin)")
    expect(page.get_by_label("Tenant", exact=True).locator("option:checked")).to_have_text(org_name)
    expect(tabs.get_by_role("tab", name="Export")).to_be_visible()
    steps.shot("admin-selected-after-reload")

    tabs.get_by_role("tab", name="Tasks").click()
    expect(page.get_by_text("No tasks yet.")).to_be_visible()
    add_task(page, "Write the quarterly report", "Numbers from finance")
    add_task(page, "Call the bank", "")
    steps.shot("tasks-added")

    page.get_by_role("button", name="Mark completed: Write the quarterly report").click()
    report = page.get_by_role("listitem").filter(has_text="Write the quarterly report")
    expect(report).to_contain_text("Completed")
    expect(report.get_by_role("button")).to_have_count(0)
    steps.shot("task-completed")

    page.get_by_role("radio", name="Pending").check()
    expect(page.get_by_role("listitem")).to_have_count(1)
    expect(page.get_by_role("listitem")).to_contain_text("Call the bank")
    page.get_by_role("radio", name="All").check()
    expect(page.get_by_role("listitem")).to_have_count(2)

    tabs.get_by_role("tab", name="Export").click()
    expect(page.get_by_text("No exports yet.")).to_be_visible()
    page.get_by_role("button", name="Start export").click()
    latest = page.get_by_role("list", name="Latest export")
    expect(latest.locator(".badge")).to_have_text(re.compile("Pending|Processing|Completed"))
    steps.shot("export-started")

    # The status updates by polling, without a reload.
    expect(latest.locator(".badge")).to_have_text("Completed", timeout=30_000)
    expect(latest).to_contain_text("2 rows")
    steps.shot("export-completed")

    with page.expect_download() as download_info:
        latest.get_by_role("button", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert list(rows[0]) == CSV_COLUMNS
    assert [(row["title"], row["description"], row["status"]) for row in rows] == [
        ("Call the bank", "", "pending"),
        ("Write the quarterly report", "Numbers from finance", "completed"),
    ]
    steps.shot("csv-downloaded")

    # A member never sees the Export tab.
    page.get_by_label("User", exact=True).select_option(label="Max Member (member)")
    expect(tabs.get_by_role("tab", name="Export")).to_have_count(0)
    expect(tabs.get_by_role("tab", name="Tasks")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("listitem")).to_have_count(2)
    steps.shot("member-has-no-export-tab")

    page.set_viewport_size({"width": 375, "height": 800})
    steps.shot("member-on-a-phone")


def _has_organizations(page):
    """Wait until the Tenant picker has loaded; True if it lists any organization."""
    tenant = page.get_by_label("Tenant", exact=True)
    expect(tenant.locator("option").first).not_to_have_text("Loading…")
    return tenant.is_enabled()
