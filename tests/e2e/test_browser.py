"""The built SPA in a real Chromium against the live server (gunicorn + huey_consumer).

Walks the story of issue 13 from an empty system, at 1280x800 and at 390x844:
create an organization and its users (required fields, the schema name
explained, focus after each action), switch organizations (each remembers its
user), tabs in the URL with Back and reload, add, edit, complete, reopen tasks
(a task completed in the Pending view stays with Undo), lists that refresh on
their own, an export that cannot be started twice and whose 429 message clears,
the CSV, a member without Export, pickers at 320 px. Every screen is checked by
axe-core in light and dark mode (no serious or critical violation) and leaves a
screenshot of each in test-artifacts/e2e/.

Search, counts, delete and the creator names from the server (issue 13's
API) are tested at the end, and the organization picker over 2,000
organizations (issue 15's search).
"""
import csv
import io
import re
import uuid
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect, sync_playwright

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DIST_INDEX = ROOT / "frontend" / "dist" / "index.html"
AXE_JS = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# The seed's columns come first; issue 13 adds createdByName and createdByEmail after them.
SEED_CSV_COLUMNS = ["id", "title", "description", "status", "createdBy", "createdAt", "updatedAt", "completedAt"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    """Each test runs at 1280x800 and at 390x844."""
    return request.param


@pytest.fixture
def browser(live_server):
    """Debian's Chromium, driven by Playwright."""
    if not DIST_INDEX.is_file():
        pytest.fail("frontend/dist is missing: run `npm ci && npm run build` in frontend/ first")
    if not AXE_JS.is_file():
        pytest.fail("frontend/node_modules/axe-core is missing: run `npm ci` in frontend/ first")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, viewport):
    """A fresh page at the test's viewport; fails the test on any uncaught script error."""
    context = browser.new_context(viewport=VIEWPORTS[viewport], accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    yield page
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


class Screens:
    """Each screen: axe-core in light and dark mode, and a numbered screenshot of each.

    test-artifacts/e2e/<test>-<viewport>-01-open-light.png, ...-01-open-dark.png, ...
    """

    def __init__(self, page, name):
        self.page = page
        self.name = name
        self.count = 0

    def check(self, screen):
        """Fail on any serious or critical axe violation of this screen, in either colour scheme."""
        self.count += 1
        problems = []
        for scheme in ("light", "dark"):
            self.page.emulate_media(color_scheme=scheme)
            self.page.screenshot(path=ARTIFACTS / f"{self.name}-{self.count:02d}-{screen}-{scheme}.png",
                                 full_page=True)
            problems += [f"{scheme}: {violation}" for violation in axe_violations(self.page)]
        self.page.emulate_media(color_scheme="light")
        assert not problems, f"axe on {screen!r}:\n" + "\n".join(problems)


def axe_violations(page):
    """The serious and critical violations axe-core finds on the page, one line each."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated by the driver, so the page's Content-Security-Policy (script-src 'self') allows it.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    violations = page.evaluate("""async () => {
        const result = await axe.run(document, { resultTypes: ['violations'] });
        return result.violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }""")
    return violations


def contrast(page, colours):
    """The contrast ratio of the two CSS colours the JavaScript expression `colours` gives as [fg, bg]."""
    return page.evaluate("""() => {
        const [fg, bg] = %s;
        const rgb = (css) => {
            const ctx = document.createElement('canvas').getContext('2d');
            ctx.fillStyle = css;
            ctx.fillRect(0, 0, 1, 1);
            return Array.from(ctx.getImageData(0, 0, 1, 1).data.slice(0, 3));
        };
        const lum = (c) => {
            const [r, g, b] = c.map((v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
            return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const [a, b] = [lum(rgb(fg)), lum(rgb(bg))].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);
    }""" % colours)


def focused_is_not_body(page):
    assert page.evaluate("() => document.activeElement && document.activeElement !== document.body"), \
        "focus fell to <body>"


def tabs(page):
    return page.get_by_role("tablist", name="Sections")


def organization_picker(page):
    return page.get_by_role("combobox", name="Organization")


def organization_options(page):
    return page.get_by_role("listbox", name="Organization").get_by_role("option")


def choose_organization(page, name, typed=None):
    """Type part of `name` into the organization combobox and choose it with the keyboard."""
    picker = organization_picker(page)
    picker.click()
    typed = typed or name
    picker.fill(typed)
    options = organization_options(page)
    expect(options.filter(has_text=name)).to_be_visible()
    # Nothing offered contradicts the text typed.
    expect(options.filter(has_not_text=typed)).to_have_count(0)
    position = [text.startswith(name) for text in options.all_inner_texts()].index(True)
    # Move the active option down to it with the arrow keys, then Enter.
    for _ in range(position + 1):
        picker.press("ArrowDown")
    active = picker.get_attribute("aria-activedescendant")
    expect(page.locator(f"[id='{active}']")).to_contain_text(name)
    picker.press("Enter")
    expect(picker).to_have_value(name)
    expect(picker).to_have_attribute("aria-expanded", "false")


def add_user(page, name, email, role):
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Role", exact=True).select_option(role)
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_text(f"Added {name} as {role}.")).to_be_visible()
    # Ready for the next user.
    expect(page.get_by_label("Name", exact=True)).to_be_focused()


def open_task_form(page):
    """On a phone the form opens from "New task" (focus goes to its title); on a desktop it is always there."""
    new_task = page.get_by_role("button", name="New task")
    if new_task.is_visible():
        new_task.click()
        expect(page.get_by_label("Title", exact=True)).to_be_focused()


def add_task(page, title, description=""):
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Description", exact=True).fill(description)
    page.get_by_role("button", name="Add task").click()
    expect(task_item(page, title)).to_be_visible()
    expect(page.get_by_label("Title", exact=True)).to_have_value("")
    # Focus goes back to the title, ready for the next task.
    expect(page.get_by_label("Title", exact=True)).to_be_focused()


def task_item(page, title):
    return page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=title, exact=True))


def api(live_server, method, path, headers=None, **kwargs):
    """A request to the live server, as another browser or client would make it."""
    response = requests.request(method, live_server.url + path, headers=headers, timeout=10, **kwargs)
    assert response.ok, (response.status_code, response.text)
    return response.json() if response.content else None


def seed_organization(live_server, label):
    """An organization with an admin and a member, made through the API; answers (org, admin, member)."""
    suffix = uuid.uuid4().hex[:8]
    org = api(live_server, "POST", "/organizations",
              json={"name": f"{label} {suffix}", "schemaName": f"e2e_{suffix}"})
    users = [api(live_server, "POST", f"/organizations/{org['id']}/users",
                 json={"name": name, "email": f"{name.split()[0].lower()}-{suffix}@example.com", "role": role})
             for name, role in (("Ada Admin", "admin"), ("Max Member", "member"))]
    return org, *users


def open_as(page, live_server, org, user, hash_="#/tasks"):
    """Open the app as `user` of `org`, as a reload after choosing them would."""
    page.goto(live_server.url + "/")
    # The app stores its (empty) choice once it has mounted: wait for that, or it could overwrite ours.
    page.wait_for_function("localStorage.getItem('taskflask.selection') !== null")
    page.evaluate("""([orgId, userId]) => localStorage.setItem('taskflask.selection',
        JSON.stringify({ tenantId: orgId, userByTenant: { [orgId]: userId } }))""", [org["id"], user["id"]])
    # Load the page again with that choice stored, then go to the tab's URL.
    page.reload()
    expect(organization_picker(page)).to_have_value(org["name"])
    page.goto(live_server.url + "/" + hash_)
    expect(page.get_by_label("User", exact=True).locator("option:checked")).to_contain_text(user["name"])


def test_the_story_of_an_organization(page, viewport, live_server):
    screens = Screens(page, f"story-{viewport}")
    suffix = uuid.uuid4().hex[:8]
    org_name = f"E2E Corp {suffix}"
    phone = viewport == "phone"

    # An empty system opens where the first organization is created. Other tests of the
    # same session may have made organizations already; then open that tab by its URL.
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"#/(tasks|organizations)$"))
    if page.url.endswith("#/tasks"):
        page.goto(live_server.url + "/#/organizations")
    expect(tabs(page).get_by_role("tab", name="Organizations")).to_have_attribute("aria-selected", "true")
    expect(page).to_have_title("Organizations · taskflask")
    # One word for the tenant everywhere.
    expect(page.locator("body")).not_to_contain_text(re.compile("tenant", re.I))
    schema = page.get_by_label("Schema name", exact=True)
    expect(schema).to_have_attribute("maxlength", "63")
    expect(page.get_by_label("Organization name", exact=True)).to_have_attribute("maxlength", "200")
    # The schema name is explained beside its field: what it is, that it is permanent, its characters.
    hint = page.locator(f"[id='{schema.get_attribute('aria-describedby')}']")
    expect(hint).to_contain_text("database schema")
    expect(hint).to_contain_text("permanent")
    expect(hint).to_contain_text("lowercase letters (a–z), digits and underscores")
    screens.check("open")

    # Required fields say so before anything is sent, at their field, with no banner.
    page.get_by_role("button", name="Create organization").click()
    name_field = page.get_by_label("Organization name", exact=True)
    expect(name_field).to_have_attribute("aria-invalid", "true")
    expect(name_field).to_have_accessible_description("Enter an organization name.")
    expect(name_field).to_be_focused()
    expect(page.get_by_role("alert")).to_have_count(0)

    # The API's validation message appears at the field, again with no banner above it.
    name_field.fill(org_name)
    schema.fill("pg_reserved")
    page.get_by_role("button", name="Create organization").click()
    expect(schema).to_have_attribute("aria-invalid", "true")
    expect(schema).to_have_accessible_description(re.compile("reserved by PostgreSQL"))
    expect(schema).to_be_focused()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_text("The request has invalid fields.")).to_have_count(0)
    screens.check("organization-validation-error")

    schema.fill(f"e2e_{suffix}")
    page.get_by_role("button", name="Create organization").click()
    expect(organization_picker(page)).to_have_value(org_name)
    # The next step is the organization's first user: focus is there.
    expect(page.get_by_label("Name", exact=True)).to_be_focused()
    screens.check("organization-created")

    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_label("Name", exact=True)).to_have_accessible_description("Enter a name.")
    expect(page.get_by_label("Email", exact=True)).to_have_accessible_description("Enter an email address.")
    add_user(page, "Ada Admin", f"ada-{suffix}@example.com", "admin")
    add_user(page, "Max Member", f"max-{suffix}@example.com", "member")
    expect(page.get_by_role("listitem").filter(has_text="Max Member")).to_contain_text("member")
    screens.check("users-added")

    # The choice of organization and user, and the tab, survive a reload.
    page.get_by_label("User", exact=True).select_option(label="Ada Admin (admin)")
    page.reload()
    expect(page.get_by_label("User", exact=True).locator("option:checked")).to_have_text("Ada Admin (admin)")
    expect(organization_picker(page)).to_have_value(org_name)
    expect(tabs(page).get_by_role("tab", name="Organizations")).to_have_attribute("aria-selected", "true")
    expect(tabs(page).get_by_role("tab", name="Export")).to_be_visible()

    # Each tab has its URL; Back returns to the one before.
    tabs(page).get_by_role("tab", name="Tasks").click()
    expect(page).to_have_url(re.compile(r"#/tasks$"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"#/organizations$"))
    expect(tabs(page).get_by_role("tab", name="Organizations")).to_have_attribute("aria-selected", "true")
    page.go_forward()
    expect(tabs(page).get_by_role("tab", name="Tasks")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_text("No tasks yet.")).to_be_visible()

    # On a phone the list comes first and the form is one tap away; on a desktop it is beside the list.
    if phone:
        expect(page.get_by_label("Title", exact=True)).to_have_count(0)
        expect(page.get_by_role("heading", name="Tasks", exact=True)).to_be_in_viewport()
        screens.check("tasks-empty-list-first")
    open_task_form(page)
    title = page.get_by_label("Title", exact=True)
    expect(title).to_have_attribute("maxlength", "200")
    expect(page.get_by_label("Description", exact=True)).to_have_attribute("maxlength", "10000")
    page.get_by_role("button", name="Add task").click()
    expect(title).to_have_accessible_description("Enter a title.")
    expect(page.get_by_role("alert")).to_have_count(0)
    # The browser stops at 200 characters, and a counter shows near the limit.
    title.fill("x" * 250)
    expect(title).to_have_value("x" * 200)
    expect(page.get_by_text("200 of 200 characters")).to_be_visible()
    screens.check("task-form-limits")
    title.fill("")

    add_task(page, "Write the quarterly report", "Numbers from finance")
    add_task(page, "Call the bank")
    report = task_item(page, "Write the quarterly report")
    # Each task says who made it.
    expect(report).to_contain_text("Created by Ada Admin")
    screens.check("tasks-added")

    # Inline edit: focus goes into the editor, and back to Edit after saving.
    page.get_by_role("button", name="Edit: Call the bank").click()
    editor = page.get_by_role("form", name="Edit task: Call the bank")
    expect(editor.get_by_label("Title", exact=True)).to_be_focused()
    editor.get_by_label("Title", exact=True).fill("Call the bank about the loan")
    editor.get_by_label("Description", exact=True).fill("Ask for Ms. Okafor")
    screens.check("task-editing")
    editor.get_by_role("button", name="Save").click()
    bank = task_item(page, "Call the bank about the loan")
    expect(bank).to_contain_text("Ask for Ms. Okafor")
    expect(page.get_by_role("button", name="Edit: Call the bank about the loan")).to_be_focused()

    # Complete, then reopen, in the All view: the same button, so focus stays on it.
    page.get_by_role("button", name="Mark completed: Write the quarterly report").click()
    expect(report).to_contain_text("Completed")
    reopen = page.get_by_role("button", name="Reopen: Write the quarterly report")
    expect(reopen).to_be_focused()
    reopen.click()
    expect(report.locator(".badge")).to_have_text("Pending")
    expect(page.get_by_role("button", name="Mark completed: Write the quarterly report")).to_be_focused()

    # In the Pending view a task just completed stays, with Undo, until the next refresh.
    page.get_by_role("radio", name=re.compile("^Pending")).check()
    expect(page).to_have_url(re.compile(r"#/tasks\?status=pending$"))
    page.get_by_role("button", name="Mark completed: Write the quarterly report").click()
    expect(report).to_contain_text("it leaves this view at the next refresh")
    undo = page.get_by_role("button", name="Undo: Write the quarterly report")
    expect(undo).to_be_focused()
    screens.check("pending-view-completed-with-undo")
    undo.click()
    expect(page.get_by_role("button", name="Mark completed: Write the quarterly report")).to_be_focused()
    page.get_by_role("button", name="Mark completed: Write the quarterly report").click()
    expect(report).to_contain_text("leaves this view")
    page.reload()
    expect(page.get_by_role("radio", name=re.compile("^Pending"))).to_be_checked()
    expect(page.get_by_role("listitem")).to_have_count(1)
    expect(page.get_by_role("listitem")).to_contain_text("Call the bank about the loan")
    page.get_by_role("radio", name=re.compile("^All")).check()
    expect(page.get_by_role("listitem")).to_have_count(2)
    focused_is_not_body(page)

    # The Export tab: a running export keeps "Start export" unavailable, saying why.
    tabs(page).get_by_role("tab", name="Export").click()
    expect(page).to_have_url(re.compile(r"#/export$"))
    expect(page.get_by_text("No exports yet.")).to_be_visible()
    start = page.get_by_role("button", name="Start export")
    latest = page.get_by_role("list", name="Latest export")
    live_server.stop_consumer()
    try:
        start.click()
        expect(latest.locator(".badge")).to_have_text("Pending")
        expect(start).to_have_attribute("aria-disabled", "true")
        expect(start).to_have_accessible_description(
            "An export is running. You can start another once it has finished.")
        expect(start).to_be_focused()
        expect(latest).to_contain_text("Export by Ada Admin")
        screens.check("export-running")
    finally:
        live_server.start_consumer()
    expect(latest.locator(".badge")).to_have_text("Completed", timeout=30_000)
    expect(latest).to_contain_text("2 rows")
    expect(start).not_to_have_attribute("aria-disabled", "true")
    screens.check("export-completed")

    with page.expect_download() as download_info:
        latest.get_by_role("button", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert list(rows[0]) == SEED_CSV_COLUMNS + ["createdByName", "createdByEmail"]
    assert [(row["title"], row["description"], row["status"], row["createdByName"], row["createdByEmail"])
            for row in rows] == [
        ("Call the bank about the loan", "Ask for Ms. Okafor", "pending", "Ada Admin", f"ada-{suffix}@example.com"),
        ("Write the quarterly report", "Numbers from finance", "completed", "Ada Admin", f"ada-{suffix}@example.com"),
    ]
    # Timestamps as the API writes them; the open task has no completion time.
    api_time = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
    assert all(api_time.fullmatch(row[column]) for row in rows for column in ("createdAt", "updatedAt"))
    assert api_time.fullmatch(rows[1]["completedAt"]) and rows[0]["completedAt"] == ""

    # A member never sees the Export tab, and its URL leads to Tasks.
    page.get_by_label("User", exact=True).select_option(label="Max Member (member)")
    expect(tabs(page).get_by_role("tab", name="Export")).to_have_count(0)
    expect(tabs(page).get_by_role("tab", name="Tasks")).to_have_attribute("aria-selected", "true")
    expect(page).to_have_url(re.compile(r"#/tasks$"))
    expect(page.get_by_role("listitem")).to_have_count(2)
    page.goto(live_server.url + "/#/export")
    expect(page).to_have_url(re.compile(r"#/tasks$"))
    screens.check("member-has-no-export-tab")

    # Pickers fit at 320 px without cutting their text.
    page.set_viewport_size({"width": 320, "height": 700})
    assert_fits(page, organization_picker(page))
    assert_fits(page, page.get_by_label("User", exact=True))
    screens.check("pickers-at-320px")


def assert_fits(page, control):
    """The control's text (an input's value, a select's chosen option) fits inside it, uncut."""
    fits = control.evaluate("""(el) => {
        const style = getComputedStyle(el);
        const text = el.tagName === 'SELECT' ? el.options[el.selectedIndex].text : el.value;
        const ctx = document.createElement('canvas').getContext('2d');
        ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
            - (el.tagName === 'SELECT' ? 24 : 0);  // a select's arrow
        return { text, width: ctx.measureText(text).width, room };
    }""")
    assert fits["width"] <= fits["room"], f"{fits['text']!r} needs {fits['width']:.0f}px, has {fits['room']:.0f}px"


def test_organizations_remember_their_user_and_switch_by_keyboard(page, viewport, live_server):
    screens = Screens(page, f"switching-{viewport}")
    first, first_admin, _ = seed_organization(live_server, "Alpha")
    second, _, second_member = seed_organization(live_server, "Beta")
    open_as(page, live_server, first, first_admin)

    choose_organization(page, second["name"], typed=second["name"][:9])
    user_picker = page.get_by_label("User", exact=True)
    expect(user_picker.locator("option:checked")).to_have_text("Choose a user…")
    user_picker.select_option(label="Max Member (member)")
    open_task_form(page)
    expect(page.get_by_label("Title", exact=True)).to_be_enabled()

    # Back to the first organization: its user comes back, and the form stays usable.
    choose_organization(page, first["name"])
    expect(user_picker.locator("option:checked")).to_have_text("Ada Admin (admin)")
    open_task_form(page)
    expect(page.get_by_label("Title", exact=True)).to_be_enabled()
    choose_organization(page, second["name"])
    expect(user_picker.locator("option:checked")).to_have_text("Max Member (member)")
    assert second_member["name"] == "Max Member"

    # Escape puts the chosen organization back; the list shows name and schema name.
    picker = organization_picker(page)
    picker.click()
    picker.fill("Alpha")
    expect(page.get_by_role("listbox")).to_be_visible()
    # Only organizations that match are offered.
    expect(organization_options(page).filter(has_text=first["name"])).to_be_visible()
    expect(organization_options(page).filter(has_not_text="Alpha")).to_have_count(0)
    expect(organization_options(page).filter(has_text=first["name"])).to_contain_text(first["schemaName"])
    screens.check("organization-combobox-open")
    picker.press("Escape")
    expect(picker).to_have_value(second["name"])
    expect(page.get_by_role("listbox")).to_be_hidden()
    screens.check("organization-switched")


def test_lists_refresh_when_visible_again_and_every_30_seconds(browser, viewport, live_server):
    org, admin, _ = seed_organization(live_server, "Fresh")
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        # A fake clock (starting now) lets the test jump 30 s ahead instead of waiting.
        page.clock.install()
        open_as(page, live_server, org, admin)
        headers = {"x-tenant-id": org["id"], "x-user-id": admin["id"]}
        expect(page.get_by_text("No tasks yet.")).to_be_visible()

        # Made in another browser, then this page is hidden and shown again.
        api(live_server, "POST", "/tasks", headers=headers, json={"title": "Made while away"})
        page.evaluate("""() => {
            for (const state of ['hidden', 'visible']) {
                Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
                document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
            }
        }""")
        expect(task_item(page, "Made while away")).to_be_visible()

        # Made elsewhere while this page stays visible: it shows within 30 s.
        api(live_server, "POST", "/tasks", headers=headers, json={"title": "Made meanwhile"})
        page.wait_for_timeout(500)
        expect(task_item(page, "Made meanwhile")).to_have_count(0)
        page.clock.fast_forward("00:31")
        expect(task_item(page, "Made meanwhile")).to_be_visible()
    finally:
        context.close()


def test_a_running_export_of_another_browser_is_explained_without_ids(page, viewport, live_server):
    screens = Screens(page, f"export-429-{viewport}")
    org, admin, _ = seed_organization(live_server, "Busy")
    headers = {"x-tenant-id": org["id"], "x-user-id": admin["id"]}
    api(live_server, "POST", "/tasks", headers=headers, json={"title": "One task"})
    open_as(page, live_server, org, admin, "#/export")
    expect(page.get_by_text("No exports yet.")).to_be_visible()

    live_server.stop_consumer()
    try:
        # Another browser starts an export this page does not know of yet.
        other = api(live_server, "POST", "/tasks/export", headers=headers)
        page.get_by_role("button", name="Start export").click()
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("Could not start the export.")
        expect(alert).to_contain_text(
            "An export of this organization is still running; start another once it has finished.")
        expect(alert).not_to_contain_text(other["exportId"])
        expect(page.locator("body")).not_to_contain_text(re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-"))
        # The running export shows, and the button says why it waits.
        latest = page.get_by_role("list", name="Latest export")
        expect(latest.locator(".badge")).to_have_text("Pending")
        expect(page.get_by_role("button", name="Start export")).to_have_attribute("aria-disabled", "true")
        screens.check("export-429")
    finally:
        live_server.start_consumer()
    # Once that export finished, the message no longer holds and goes.
    expect(latest.locator(".badge")).to_have_text("Completed", timeout=30_000)
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_role("button", name="Start export")).not_to_have_attribute("aria-disabled", "true")
    screens.check("export-429-cleared")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_controls_and_focus_ring_reach_3_to_1(page, viewport, scheme, live_server):
    org, admin, _ = seed_organization(live_server, "Contrast")
    page.emulate_media(color_scheme=scheme)
    open_as(page, live_server, org, admin)
    open_task_form(page)
    title = page.get_by_label("Title", exact=True)
    border = contrast(page, """[getComputedStyle(document.querySelector('#new-task input')).borderTopColor,
                               getComputedStyle(document.querySelector('#new-task')).backgroundColor]""")
    assert border >= 3, f"input border {border:.2f}:1"
    # Focus by keyboard, so :focus-visible applies.
    page.get_by_label("User", exact=True).focus()
    for _ in range(30):
        page.keyboard.press("Tab")
        if title.evaluate("(el) => el === document.activeElement"):
            break
    expect(title).to_be_focused()
    ring = contrast(page, """[getComputedStyle(document.activeElement).outlineColor,
                             getComputedStyle(document.querySelector('#new-task')).backgroundColor]""")
    assert ring >= 3, f"focus ring {ring:.2f}:1"
    dark = page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches")
    background = page.evaluate("() => getComputedStyle(document.documentElement).backgroundColor")
    assert dark == (scheme == "dark")
    # The dark scheme really is dark (and the light one light).
    assert (contrast(page, f"['{background}', '#000']") < 3) == (scheme == "dark"), background


# ---- Parts that need the API of issues 13 and 15 -------------------------------------------------

def test_search_counts_load_more_and_creator_names_from_the_api(page, viewport, live_server):
    screens = Screens(page, f"search-{viewport}")
    org, admin, member = seed_organization(live_server, "Searchable")
    headers = {"x-tenant-id": org["id"], "x-user-id": member["id"]}
    for number in range(1, 131):
        title = f"Invoice {number:03d}" if number % 2 else f"Meeting {number:03d}"
        api(live_server, "POST", "/tasks", headers=headers, json={"title": title})
    with page.expect_response(re.compile(r"/tasks\?limit=100$")) as first_page:
        open_as(page, live_server, org, admin)
    # The creator's name comes from the API (createdByName), not only from the users list.
    assert all(task["createdByName"] == "Max Member" for task in first_page.value.json())
    expect(page.get_by_role("radio", name="All 130")).to_be_checked()
    expect(page.get_by_role("radio", name="Pending 130")).to_be_visible()
    expect(page.get_by_role("button", name="Load more (30 remaining)")).to_be_visible()
    expect(page.get_by_text("100 of 130 shown")).to_be_visible()

    page.get_by_role("searchbox", name="Search tasks").fill("invoice")
    expect(page).to_have_url(re.compile(r"#/tasks\?q=invoice$"))
    expect(page.get_by_text("65 tasks match “invoice”.")).to_be_visible()
    expect(page.get_by_role("radio", name="All 65")).to_be_checked()
    expect(page.get_by_role("listitem")).to_have_count(65)
    expect(page.get_by_role("listitem").filter(has_text="Meeting")).to_have_count(0)
    screens.check("search")
    # The URL keeps the search across a reload.
    page.reload()
    expect(page.get_by_role("searchbox", name="Search tasks")).to_have_value("invoice")
    expect(page.get_by_role("listitem")).to_have_count(65)


def test_delete_with_undo(page, viewport, live_server):
    screens = Screens(page, f"delete-{viewport}")
    org, admin, _ = seed_organization(live_server, "Deleting")
    headers = {"x-tenant-id": org["id"], "x-user-id": admin["id"]}
    for title in ("First", "Second", "Third"):
        api(live_server, "POST", "/tasks", headers=headers, json={"title": title})
    open_as(page, live_server, org, admin)
    expect(page.get_by_role("radio", name="All 3")).to_be_checked()

    page.get_by_role("button", name="Delete: Second").click()
    expect(task_item(page, "Second")).to_have_count(0)
    # Focus goes to the next task.
    expect(page.get_by_role("heading", name="First", exact=True)).to_be_focused()
    toast = page.get_by_role("group", name="Deleted task")
    expect(toast).to_contain_text("Deleted “Second”.")
    expect(page.get_by_role("radio", name="All 2")).to_be_checked()
    screens.check("deleted-with-undo")
    toast.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("heading", name="Second", exact=True)).to_be_focused()
    expect(page.get_by_role("radio", name="All 3")).to_be_checked()

    # Without Undo, the DELETE goes out when the window closes.
    with page.expect_response(lambda r: r.request.method == "DELETE", timeout=15_000) as deleted:
        page.get_by_role("button", name="Delete: Second").click()
    assert deleted.value.status == 204
    page.reload()
    expect(page.get_by_role("radio", name="All 2")).to_be_checked()
    expect(task_item(page, "Second")).to_have_count(0)
    titles = [task["title"] for task in api(live_server, "GET", "/tasks", headers=headers)]
    assert titles == ["Third", "First"]


@pytest.fixture
def many_organizations(db):
    """2,000 organizations in the registry (rows only: the picker lists them, nobody opens them)."""
    prefix = f"scale_{uuid.uuid4().hex[:6]}"
    with db.cursor() as cur:
        cur.execute("SELECT coalesce(max(schema_version), 0) FROM organizations")
        version = cur.fetchone()[0]
        cur.execute("""INSERT INTO organizations (name, schema_name, schema_version)
                       SELECT 'Scale ' || lpad(i::text, 5, '0') || ' ' || %(prefix)s,
                              %(prefix)s || '_' || i, %(version)s
                       FROM generate_series(1, 2000) AS i""", {"prefix": prefix, "version": version})
    yield prefix
    with db.cursor() as cur:
        cur.execute("DELETE FROM organizations WHERE schema_name LIKE %s", (prefix + r"\_%",))


def test_organization_picker_never_lists_all_of_2000(page, viewport, live_server, many_organizations):
    screens = Screens(page, f"picker-scale-{viewport}")
    org, admin, _ = seed_organization(live_server, "Needle")
    answers = []
    page.on("response", lambda r: answers.append(r) if "/organizations?" in r.url else None)
    open_as(page, live_server, org, admin)
    # Bodies of the loads before open_as's reload are gone; their URLs are still checked.
    reloaded = len(answers)

    picker = organization_picker(page)
    picker.click()
    picker.fill("Scale 0199")
    expect(organization_options(page)).to_have_count(10)  # Scale 01990 .. 01999
    picker.fill("Scale")
    expect(organization_options(page)).to_have_count(20)
    expect(picker).to_have_accessible_description("The first 20 organizations shown; type to narrow.")
    screens.check("picker-2000")
    for response in answers:
        assert "limit=20" in response.url, response.url
    for response in answers[reloaded:]:
        assert len(response.json()) <= 20, (response.url, len(response.json()))
    # The chosen organization came alone, not with the list of all.
    assert not any(re.search(r"/organizations$", response.url) for response in answers)
    choose_organization(page, f"Scale 01999 {many_organizations}", typed="Scale 01999")
    expect(picker).to_have_value(f"Scale 01999 {many_organizations}")
