"""Steps several browser journeys share: open the app, upload a CSV, use it on a page."""

from __future__ import annotations

from tests.e2e.test_browser_smoke import _idle

UPLOAD_INPUT = "[data-testid=stFileUploaderDropzoneInput]"


def open_app(page, server: str) -> None:
    """The home page, with the lesson menu drawn and the first run finished."""
    page.goto(server)
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Your data").wait_for(
        timeout=90_000)
    _idle(page)


def go(page, title: str) -> None:
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=title).click()
    _idle(page)


def upload(page, path, *, target: str | None = None, before_use=None) -> None:
    """On Your data: send ``path``, choose ``target`` if given, use it in the lessons.

    ``before_use(page)``, if given, checks the page before the table is put to use.
    """
    go(page, "Your data")
    page.wait_for_selector(UPLOAD_INPUT, state="attached", timeout=90_000)
    page.set_input_files(UPLOAD_INPUT, str(path))
    _idle(page)
    if target is not None:
        box = page.get_by_test_id("stMain").get_by_test_id("stSelectbox").first.locator("input")
        if box.input_value() != target:
            box.click()
            box.fill(target)
            page.keyboard.press("Enter")
            _idle(page)
        assert box.input_value() == target
    if before_use is not None:
        before_use(page)
    page.get_by_role("button", name="Use this dataset in the lessons").click()
    _idle(page)


def use_upload(page) -> None:
    """Pick "Your uploaded data" in the sidebar's dataset box, where the page has one."""
    box = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first
    if not box.count() or box.locator("input").input_value() == "Your uploaded data":
        return
    box.click()
    option = page.get_by_role("option", name="Your uploaded data")
    if option.count():
        option.click()
    else:
        page.keyboard.press("Escape")
    _idle(page)


# Each chart's margins as plotly drew them against the figure's own: a side plotly had to
# widen (automargin) means it drew the whole figure twice on first paint.
WIDENED_MARGINS = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap((gd) => {
    if (!gd._fullLayout) return [];
    const key = [...(gd.closest('[class*=st-key-]')?.classList || [])]
        .find((c) => c.startsWith('st-key-')) || 'a chart';
    const asked = gd.layout.margin || {}, drawn = gd._fullLayout._size;
    return ['l', 'r', 't', 'b'].filter((k) => Math.round(drawn[k]) > Math.round(asked[k] ?? 0))
        .map((k) => `${key.slice(7)}: ${k} ${asked[k]} -> ${Math.round(drawn[k])} px`);
})"""
