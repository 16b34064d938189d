"""The search page at / in a real browser (Debian's chromium driven by playwright) over a real small home
(the seed plan and the opening of Nghị định 20/2021, e5 model), served by uvicorn on a free port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import SEED, indexed_home, nd20_opening
from tracuu.api.http import create_app
from tracuu.core.settings import Settings
from tracuu.index.embed import DEFAULT_MODEL

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LEAD = "Sở Lao động - Thương binh và Xã hội"
QUESTION = "Cơ quan nào chủ trì thực hiện chính sách trợ giúp xã hội hàng tháng cho đối tượng bảo trợ xã hội?"
PLAN_UNIT = "III.2.-1.+3"  # the plan's passage that answers QUESTION
WAIT_MS = 60_000  # a query embeds on a busy CPU
# Every page reports what its Content-Security-Policy refused (an inline style, a script…) to the test.
CSP_LISTENER = """document.addEventListener("securitypolicyviolation", (e) => window.__cspViolation(
  `${e.violatedDirective} refused ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}: ${e.sample}`));"""


def test_page_is_vietnamese_html(tmp_path):
    """Without a browser: / is the page, its script and stylesheet are served, and nothing loads from afar."""
    c = TestClient(create_app(Settings(home=tmp_path)))
    r = c.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<html lang="vi">' in r.text and 'role="search"' in r.text and 'role="alert"' in r.text
    for asset, kind in (
        ("/web/app.js", "javascript"),
        ("/web/graph.js", "javascript"),
        ("/web/style.css", "text/css"),
    ):
        got = c.get(asset)
        assert got.status_code == 200 and kind in got.headers["content-type"]
        text = got.text.replace('"http://www.w3.org/2000/svg"', "")  # SVG's namespace: a name, never fetched
        assert "http://" not in text and "https://" not in text
    assert "http://" not in r.text and "https://" not in r.text
    assert c.get("/web/khong-co.js").status_code == 404
    assert "/" not in c.get("/openapi.json").json()["paths"]  # the page is not part of the API


# ---- in a browser -------------------------------------------------------------------------------


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} missing: apt-get install chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright missing: pip install -e '.[test]'"
    if not (DEFAULT_MODEL / "onnx" / "export.json").exists():
        return "model not converted: run `make model`"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(home: Path) -> Iterator[str]:
    """The app over `home`, served by uvicorn in a thread: its base URL."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(create_app(Settings(home=home)), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not srv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app over the small real home: its base URL."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    docs = [SEED, nd20_opening(tmp_path_factory.mktemp("docs"))]
    with serving(indexed_home(tmp_path_factory.mktemp("home"), docs)) as url:
        yield url


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


def new_page(browser, server, **options):
    """A page in a fresh context that reaches only `server`; what the page's CSP refuses (the
    `securitypolicyviolation` events and Chromium's console reports) collects in page.csp_violations."""
    context = browser.new_context(base_url=server, locale="vi-VN", **options)
    context.set_default_timeout(WAIT_MS)
    context.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith(server) else route.abort()
    )
    violations: list[str] = []
    context.expose_binding("__cspViolation", lambda source, text: violations.append(text))
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.csp_violations = violations
    return page


def assert_no_csp_violations(page) -> None:
    page.evaluate("() => new Promise((done) => setTimeout(done, 50))")  # the last reports reach the test
    assert page.csp_violations == [], (
        f"{len(page.csp_violations)} CSP violations, e.g. {page.csp_violations[-1]}"
    )


@pytest.fixture
def page(browser, server):
    """A page on the test server; the test fails if the page's CSP refused anything on it."""
    page = new_page(browser, server, permissions=["clipboard-read", "clipboard-write"])
    yield page
    try:
        assert_no_csp_violations(page)
    finally:
        page.context.close()


def ask(page, question: str, doc_type: str | None = None) -> None:
    page.goto("/")
    if doc_type:
        page.get_by_label("Loại văn bản").select_option(doc_type)
    page.get_by_label("Câu hỏi hoặc từ khóa").fill(question)
    page.get_by_role("button", name="Tìm", exact=True).click()


def results(page):
    from playwright.sync_api import expect

    items = page.locator("#results li.result")
    expect(items.first).to_be_visible()
    expect(page.locator("#loading")).to_be_hidden()
    return items


def test_question_gets_the_lead_and_highlighted_passages(page):
    from playwright.sync_api import expect

    ask(page, QUESTION)
    card = page.locator("#answer .answer")
    expect(card).to_contain_text(f"Cơ quan chủ trì: {LEAD}")
    expect(card).to_contain_text("Phối hợp:")
    expect(card.locator("blockquote")).to_contain_text("trợ giúp xã hội hàng tháng")
    expect(card.locator(".cite a")).to_contain_text("Kế hoạch số 1212/KH-UBND")
    items = results(page)
    assert items.count() == 10
    marks = {m.lower() for m in page.locator("#results mark").all_inner_texts()}
    assert {"trợ", "giúp", "hàng", "tháng"} <= marks
    assert "#/tim?q=" in page.url and page.locator("#alert").is_hidden()


def test_unaccented_query_finds_and_highlights_accented_words(page):
    ask(page, "tro giup xa hoi hang thang")
    assert results(page).count() > 0
    assert "trợ giúp xã hội" in page.locator("#results .note").inner_text()  # the restored query
    marks = {m.lower() for m in page.locator("#results mark").all_inner_texts()}
    assert {"trợ", "giúp", "xã", "hội"} <= marks


def test_type_filter_restricts_results(page):
    from playwright.sync_api import expect

    page.goto("/")
    expect(page.locator("#filter-type option")).to_have_text(["Tất cả", "Kế hoạch", "Nghị định"])
    ask(page, QUESTION)
    assert len(set(results(page).evaluate_all("els => els.map(e => e.dataset.type)"))) > 1
    ask(page, QUESTION, doc_type="Nghị định")
    expect(page.locator("#results li.result[data-type='Kế hoạch']")).to_have_count(0)
    types = results(page).evaluate_all("els => els.map(e => e.dataset.type)")
    assert types and set(types) == {"Nghị định"}
    assert "type=Ngh" in page.url


def test_result_opens_the_document_at_its_unit(page):
    from playwright.sync_api import expect

    ask(page, QUESTION)
    results(page).filter(has_text="1212/KH-UBND").first.get_by_role("link").click()
    view = page.locator("#doc-view")
    expect(view).to_be_visible()
    expect(page.locator("#search-view")).to_be_hidden()
    meta = view.locator(".docmeta")
    for text in ("1212/KH-UBND", "Kế hoạch", "29/11/2021", "Ủy ban nhân dân tỉnh Khánh Hòa", "ASEAN"):
        expect(meta).to_contain_text(text)
    outline = view.get_by_role("navigation", name="Dàn ý văn bản")
    expect(outline.get_by_role("link", name="I. MỤC ĐÍCH, YÊU CẦU")).to_be_visible()
    unit = view.locator(f'[id="{PLAN_UNIT}"]')
    expect(unit).to_have_class("unit hit")
    expect(unit).to_be_in_viewport()
    expect(unit).to_contain_text("trợ giúp xã hội hàng tháng")
    assert unit.locator("mark").count() > 0
    cites = view.locator("section", has=page.get_by_role("heading", name="Văn bản được viện dẫn"))
    expect(cites.locator("li", has_text="161/QĐ-TTg")).to_contain_text("chưa có trong kho")
    nd20 = cites.locator("li", has_text="20/2021/NĐ-CP")
    expect(nd20).to_contain_text("có trong kho")

    page.reload()  # a deep link: the same view, scrolled to the same unit
    expect(page.locator(f'[id="{PLAN_UNIT}"]')).to_be_in_viewport()
    expect(page.locator("#doc-view .docmeta")).to_contain_text("1212/KH-UBND")

    nd20.get_by_role("link").click()  # the cited decree, and the plan among the documents citing it
    expect(page.locator("#doc-view .docmeta")).to_contain_text("20/2021/NĐ-CP")
    cited_by = page.locator("section", has=page.get_by_role("heading", name="Văn bản viện dẫn văn bản này"))
    expect(cited_by.get_by_role("link", name="Kế hoạch số 1212/KH-UBND")).to_be_visible()
    page.go_back()
    page.go_back()  # back to the results
    expect(page.locator("#search-view")).to_be_visible()
    assert results(page).count() == 10


def test_copy_button_puts_the_citation_on_the_clipboard(page):
    from playwright.sync_api import expect

    ask(page, QUESTION)
    first = results(page).first
    citation = first.locator("h3").inner_text()
    button = first.get_by_role("button", name="Sao chép trích dẫn")
    button.click()
    expect(first.get_by_role("button", name="Đã sao chép")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == citation
    card = page.locator("#answer .answer")
    card.get_by_role("button", name="Sao chép trích dẫn").click()
    expect(card.get_by_role("button", name="Đã sao chép")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == card.locator(".cite a").inner_text()


def test_copy_falls_back_without_the_clipboard_api(page):
    from playwright.sync_api import expect

    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined}); "
                         "window.copied = []; document.execCommand = (c) => (window.copied.push("
                         "[c, document.querySelector('textarea.offscreen').value]), true);")  # fmt: skip
    ask(page, QUESTION)
    first = results(page).first
    first.get_by_role("button", name="Sao chép trích dẫn").click()
    expect(first.get_by_role("button", name="Đã sao chép")).to_be_visible()
    assert page.evaluate("window.copied") == [["copy", first.locator("h3").inner_text()]]


def test_api_errors_show_in_the_alert(page):
    from playwright.sync_api import expect

    ask(page, "x" * 1001)
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("dài quá 1000 ký tự")
    expect(page.locator("#loading")).to_be_hidden()
    assert page.locator("#results li").count() == 0
    page.goto("/#/van-ban/khong-co")
    expect(alert).to_contain_text("Không có văn bản 'khong-co'")


def test_phone_width_has_no_horizontal_scroll(browser, server):
    page = new_page(browser, server, viewport={"width": 375, "height": 740}, is_mobile=True)
    try:
        wide = "document.documentElement.scrollWidth"
        page.goto("/")
        assert page.evaluate(wide) <= 375
        ask(page, QUESTION)
        results(page)
        assert page.evaluate(wide) <= 375
        page.goto(f"/#/van-ban/1212%2FKH-UBND?unit={PLAN_UNIT.replace('+', '%2B')}")  # by number, too
        page.locator(f'[id="{PLAN_UNIT}"].hit').wait_for()
        assert page.evaluate(wide) <= 375
        assert_no_csp_violations(page)
    finally:
        page.context.close()


def test_nothing_loads_from_outside(browser, server):
    page = new_page(browser, server)
    try:
        seen = []
        page.on("request", lambda r: seen.append(r.url))
        ask(page, QUESTION)
        results(page)
        assert seen and all(u.startswith(server) for u in seen), [u for u in seen if not u.startswith(server)]
        assert_no_csp_violations(page)
    finally:
        page.context.close()


def test_outline_and_units_indent_by_level_under_the_csp(page):
    """The outline and the document's units are indented by their level (a CSS custom property set from
    script: the page's CSP, style-src 'self', refuses style="…" attributes), with no CSP violation."""
    from playwright.sync_api import expect

    page.goto("/#/van-ban/1212%2FKH-UBND")
    outline = page.get_by_role("navigation", name="Dàn ý văn bản")
    expect(outline.get_by_role("link", name="I. MỤC ĐÍCH, YÊU CẦU")).to_be_visible()
    expect(page.locator(f'#doc-view .unit[id="{PLAN_UNIT}"]')).to_be_attached()
    levels = page.evaluate("""async () => {
        const doc = await (await fetch("/documents/" + encodeURIComponent("1212/KH-UBND"))).json();
        return Object.fromEntries(doc.outline.map((u) => [u.path, u.level]));
    }""")  # fmt: skip
    assert len(set(levels.values())) >= 3

    def indents(selector: str, path_of: str) -> list[float]:
        """The left padding of each level's elements, by level: one value per level."""
        found = page.locator(selector).evaluate_all(
            f"els => els.map(e => [{path_of}, parseFloat(getComputedStyle(e).paddingLeft)])"
        )
        assert len(found) == len(levels)
        by_level: dict[int, set[float]] = {}
        for path, pad in found:
            by_level.setdefault(levels[path], set()).add(pad)
        assert all(len(pads) == 1 for pads in by_level.values()), by_level  # one indent per level
        return [min(by_level[level]) for level in sorted(by_level) if level <= 4]  # units stop at level 4

    outline = indents(
        "#doc-view .outline li", "new URLSearchParams(e.firstChild.hash.split('?')[1]).get('unit')"
    )
    assert outline[0] == 0 and outline == sorted(set(outline)), outline  # deeper: further in
    units = indents("#doc-view .unit", "e.id")
    assert units[0] == 0 and units == sorted(set(units)), units
    assert_no_csp_violations(page)


def test_api_docs_render_without_the_internet(browser, server):
    """/docs (Swagger UI) shows the API's operations with every asset from the server itself: the browser
    cannot reach any other host (a CDN) and asks none. /redoc is gone (ReDoc would fetch its logo)."""
    from playwright.sync_api import expect

    page = new_page(browser, server)
    try:
        outside = []
        page.on("request", lambda r: None if r.url.startswith((server, "data:")) else outside.append(r.url))
        page.goto("/docs")
        search = page.locator('.opblock-summary-path[data-path="/search"]')
        expect(search).to_be_visible()
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("tracuu")
        search.click()  # the operation opens, with its parameters
        expect(page.locator(".opblock.is-open .parameters")).to_contain_text("q")
        page.wait_for_load_state("networkidle")
        assert outside == []
        assert_no_csp_violations(page)
        assert page.goto("/redoc").status == 404
    finally:
        page.context.close()


# ---- markup in documents -------------------------------------------------------------------------

SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=2">'
MARKUP_PLAN = f"""ỦY BAN NHÂN DÂN
TỈNH PHÚ YÊN

Số: 9/KH-UBND

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM

Phú Yên, ngày 3 tháng 4 năm 2023

KẾ HOẠCH

Kiểm thử <b>bảo mật</b> trang tra cứu

I. NHIỆM VỤ

1. Bảo mật trang tra cứu

- Sở Thông tin và Truyền thông chủ trì kiểm thử bảo mật trang tra cứu {SCRIPT} trên mạng diện rộng.

- Sở Tài chính bố trí kinh phí kiểm thử bảo mật {IMG} cho trang tra cứu.
"""


@pytest.fixture(scope="module")
def markup_server(tmp_path_factory):
    """The app over a home holding one plan whose text carries HTML (a plain-text file: kept as typed)."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    doc = tmp_path_factory.mktemp("docs") / "ke-hoach-9-markup.txt"
    doc.write_text(MARKUP_PLAN, encoding="utf-8")
    with serving(indexed_home(tmp_path_factory.mktemp("home"), [doc])) as url:
        yield url


def assert_shown_as_text(page, where: str) -> None:
    from playwright.sync_api import expect

    view = page.locator(where)
    expect(view).to_contain_text(SCRIPT)
    expect(view).to_contain_text(IMG)
    page.wait_for_timeout(300)  # time for an injected image to fail and run its handler
    assert page.locator(f"{where} script, {where} img, {where} b").count() == 0
    assert page.evaluate("[...document.scripts].map(s => s.getAttribute('src'))") == [
        "/web/graph.js",
        "/web/app.js",
    ]
    assert page.evaluate("typeof window.__xss") == "undefined"


def test_markup_in_a_document_is_shown_as_text(browser, markup_server):
    """The results and the document view show the document's <script> and <img onerror> as text. The page's
    CSP would block inline script anyway: it is bypassed here, so only the page's own escaping is tested."""
    from playwright.sync_api import expect

    page = new_page(browser, markup_server, bypass_csp=True)
    try:
        ask(page, "kiểm thử bảo mật trang tra cứu")
        results(page)
        assert_shown_as_text(page, "#results")
        expect(page.locator("#results mark").first).to_be_visible()  # highlighted around the markup
        results(page).filter(has_text=IMG).first.get_by_role("link").click()
        expect(page.locator("#doc-view .unit.hit").first).to_be_visible()  # the unit, highlighted
        assert_shown_as_text(page, "#doc-view")
        expect(page.locator("#doc-view")).to_contain_text("<b>bảo mật</b>")
        page.goto("/#/van-ban/ke-hoach-9-markup")  # the document view from a link, with no search before
        page.reload()
        expect(page.locator("#doc-view .docmeta")).to_contain_text("9/KH-UBND")
        assert_shown_as_text(page, "#doc-view")
    finally:
        page.context.close()


# ---- citation checker ---------------------------------------------------------------------------

WRONG = "Nghị định số 20/2021/NĐ-CP ngày 15/4/2021 của Chính phủ"
RIGHT = "Nghị định số 20/2021/NĐ-CP ngày 15/3/2021 của Chính phủ"
QD161 = "Quyết định số 161/QĐ-TTg ngày 25/01/2016 của Thủ tướng Chính phủ"
UNIT = f"Khoản 1 Điều 5 {RIGHT}"
DRAFT = (f"Căn cứ {WRONG} quy định chính sách trợ giúp xã hội đối với đối tượng bảo trợ xã hội;\n"
         f"Căn cứ {QD161};\n\nĐối tượng theo {UNIT} được hưởng trợ cấp xã hội hằng tháng.\n")  # fmt: skip


def check_draft(page, text: str) -> None:
    from playwright.sync_api import expect

    page.goto("/")
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Kiểm tra trích dẫn").click()
    expect(page.locator("#check-view")).to_be_visible()
    expect(page.locator("#search-view")).to_be_hidden()
    page.get_by_label("Nội dung dự thảo").fill(text)
    page.get_by_role("button", name="Kiểm tra", exact=True).click()


def test_check_lists_findings_and_marks_the_draft(page):
    """Against the test home (the seed plan and Nghị định 20/2021): the wrong date is a problem naming the right
    one, Quyết định 161 (only cited by the seed, in neither the corpus nor the catalog) is unverifiable, the
    quoted Khoản of Nghị định 20 is correct and quoted."""
    from playwright.sync_api import expect

    check_draft(page, DRAFT)
    assert "#/kiem-tra" in page.url
    expect(page.locator("nav.tabs a[aria-current='page']")).to_have_text("Kiểm tra trích dẫn")
    expect(page.locator("#check-summary")).to_have_text(
        "3 trích dẫn: 1 đúng, 1 có vấn đề, 1 không kiểm chứng được"
    )
    expect(page.locator("#check-summary")).to_be_focused()
    findings = page.locator("#check-result li.finding")
    expect(findings).to_have_count(3)

    wrong = findings.nth(0)
    expect(wrong.locator("q")).to_have_text(WRONG)
    expect(wrong.locator(".status")).to_have_text("Có vấn đề")
    expect(wrong.locator(".problems li")).to_have_text(
        ["Ngày ban hành ghi 15/4/2021 nhưng 20/2021/NĐ-CP ban hành ngày 15/3/2021"]
    )
    expect(wrong.locator(".cite a")).to_have_text(RIGHT)  # in the corpus: a link to the document
    expect(wrong.locator(".marks")).to_have_text("có trong kho trong danh mục")

    qd161 = findings.nth(1)
    expect(qd161.locator("q")).to_have_text(QD161)
    expect(qd161.locator(".status")).to_have_text("Không kiểm chứng được")
    expect(qd161.locator(".problems")).to_have_count(0)
    expect(qd161.locator(".cite")).to_contain_text(f"Trích dẫn chuẩn: {QD161}")
    expect(qd161.locator(".cite a")).to_have_count(0)  # not in the corpus: nothing to open
    expect(qd161.locator(".marks")).to_have_text("chưa có trong kho ngoài danh mục")
    expect(qd161).to_contain_text("không kiểm chứng được (không phải là sai)")

    unit = findings.nth(2)
    expect(unit.locator(".status")).to_have_text("Đúng")
    expect(unit.locator("q")).to_have_text(UNIT)
    expect(unit.locator("blockquote")).to_contain_text("Trẻ em dưới 16 tuổi không có nguồn nuôi dưỡng")

    draft = page.locator("#check-result .draft")
    assert draft.text_content() == DRAFT  # the whole draft, as pasted
    expect(page.locator("#check-result .legend")).to_have_text(
        "Chú thích: Đúng Có vấn đề Không kiểm chứng được"
    )
    marks = draft.locator("mark").evaluate_all("ms => ms.map(m => [m.textContent, m.className])")
    assert marks == [[WRONG, "problem"], [QD161, "unverifiable"], [UNIT, "ok"]]

    wrong.get_by_role("button", name="Sao chép trích dẫn").click()
    expect(wrong.get_by_role("button", name="Đã sao chép")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == RIGHT

    unit.locator(".cite a").click()  # the quoted Khoản in the document view, and back to the check
    expect(page.locator("#doc-view .docmeta")).to_contain_text("20/2021/NĐ-CP")
    expect(page.locator('[id="C2.D5.K1"]')).to_have_class("unit hit")
    back = page.locator("#doc-view a.back")
    expect(back).to_have_text("← Quay lại kiểm tra trích dẫn")
    back.click()
    expect(page.locator("#check-view")).to_be_visible()
    expect(page.locator("#check-result li.finding")).to_have_count(3)
    assert page.get_by_label("Nội dung dự thảo").input_value() == DRAFT


def test_check_shows_markup_in_the_draft_as_text(page):
    from playwright.sync_api import expect

    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    text = f'<script>alert(1)</script>\n<img src=x onerror="alert(2)">\nCăn cứ {WRONG} <b>đậm</b>.\n'
    check_draft(page, text)
    expect(page.locator("#check-summary")).to_have_text(
        "1 trích dẫn: 0 đúng, 1 có vấn đề, 0 không kiểm chứng được"
    )
    draft = page.locator("#check-result .draft")
    expect(draft).to_contain_text("<script>alert(1)</script>")
    expect(draft).to_contain_text('<img src=x onerror="alert(2)">')
    expect(draft.locator("mark.problem")).to_have_text(WRONG)
    assert draft.text_content() == text
    assert page.locator("#check-view script, #check-view img, #check-view b").count() == 0
    assert page.evaluate("[...document.scripts].map(s => s.getAttribute('src'))") == [
        "/web/graph.js",
        "/web/app.js",
    ]
    page.wait_for_timeout(300)
    assert dialogs == []


def test_check_downloads_the_annotated_docx(page, tmp_path):
    import docx

    check_draft(page, DRAFT)
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải bản có nhận xét (.docx)").click()
    download = info.value
    assert download.suggested_filename == "du-thao-nhan-xet.docx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    comments = [c.text for c in docx.Document(str(path)).comments]
    assert len(comments) == 3 and any("15/3/2021" in c and RIGHT in c for c in comments)


def test_check_problems_show_in_the_alert(page):
    from playwright.sync_api import expect

    page.goto("/#/kiem-tra")
    expect(page.get_by_role("heading", name="Kiểm tra trích dẫn")).to_be_visible()
    page.get_by_role("button", name="Kiểm tra", exact=True).click()  # nothing pasted: said on the page
    alert = page.get_by_role("alert")
    expect(alert).to_have_text("Hãy dán nội dung dự thảo cần kiểm tra.")
    expect(page.get_by_label("Nội dung dự thảo")).to_be_focused()
    # a draft over the API's 2 MB: its problem+json detail in the alert
    page.get_by_label("Nội dung dự thảo").evaluate("el => { el.value = 'a'.repeat(2 * 1024 * 1024 + 1); }")
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    expect(alert).to_contain_text("Dự thảo dài quá 2.0 MB")
    expect(page.locator("#loading")).to_be_hidden()
    expect(page.get_by_role("button", name="Kiểm tra", exact=True)).to_be_enabled()
    assert page.locator("#check-result li").count() == 0


def test_check_at_phone_width(browser, server):
    from playwright.sync_api import expect

    page = new_page(browser, server, viewport={"width": 375, "height": 740}, is_mobile=True)
    try:
        check_draft(page, DRAFT)
        expect(page.locator("#check-result li.finding")).to_have_count(3)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert_no_csp_violations(page)
    finally:
        page.context.close()


def test_screenshot_of_an_answer_is_saved(page):
    """The page answering "cơ quan nào chủ trì phòng chống HIV", kept as a test artifact for review."""
    from playwright.sync_api import expect

    ask(page, "cơ quan nào chủ trì phòng chống HIV")
    expect(page.locator("#answer .answer")).to_contain_text("Cơ quan chủ trì: Sở Y tế")
    results(page)
    folder = Path(__file__).resolve().parent.parent / "artifacts"
    folder.mkdir(exist_ok=True)
    shot = folder / "tra-cuu-hiv.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_document_shows_its_validity_and_the_relation_graph(page):
    """Nghị định 20/2021: a validity badge from the catalog's effective date, and the "Lược đồ" panel drawing
    its relations (the circular that guides it, from Bộ Pháp điển) as a graph whose edges carry the clause."""
    from playwright.sync_api import expect

    page.goto("/#/van-ban/" + "20%2F2021%2FN%C4%90-CP")
    expect(page.locator(".docmeta .validity")).to_have_text("Còn hiệu lực")
    graph = page.locator("svg.relation-graph")
    expect(graph).to_be_visible()
    guided = graph.locator('g.edge[data-type="guided_by"]').first
    expect(guided).to_have_attribute("data-other", "76/2021/TT-BTC")
    assert "Thông tư số 76/2021/TT-BTC" in guided.locator("title").text_content()
    box = graph.bounding_box()
    assert box["width"] > 500 and box["height"] > 100  # a picture, not a list
    page.get_by_text("Danh sách quan hệ và điều khoản nêu").click()
    expect(page.locator("section.relations ul.refs")).to_contain_text("được hướng dẫn bởi 76/2021/TT-BTC")
    folder = Path(__file__).resolve().parent.parent / "artifacts"
    folder.mkdir(exist_ok=True)
    page.locator("section.relations").screenshot(path=str(folder / "luoc-do-nd20.png"))


def test_in_force_filter_keeps_only_documents_known_in_force(page):
    """ "Còn hiệu lực hôm nay": the plan (no stated entry into force: validity unknown) drops out, the decree
    stays, and every hit wears its badge."""
    from playwright.sync_api import expect

    page.goto("/")
    page.get_by_label("Hiệu lực").select_option("today")
    page.get_by_label("Câu hỏi hoặc từ khóa").fill("trợ giúp xã hội hàng tháng")
    page.get_by_role("button", name="Tìm", exact=True).click()
    items = results(page)
    assert "in_force=today" in page.url
    for i in range(items.count()):
        expect(items.nth(i).locator(".validity")).to_have_text("Còn hiệu lực")
        assert "Kế hoạch" not in items.nth(i).locator("h3").text_content()


@pytest.fixture(scope="module")
def law_server(tmp_path_factory):
    """The app over a home holding the law on tourism."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    with serving(indexed_home(tmp_path_factory.mktemp("home"), [SEED.parent / "luat-du-lich.md"])) as url:
        yield url


def test_a_policy_question_for_a_body_shows_the_provision(browser, law_server):
    """ "… nộp hồ sơ xin giấy phép ở cơ quan nào?" that no assignment answers: the card quotes the provision,
    cites it formally with the law's date and links into the law at that unit."""
    from playwright.sync_api import expect

    page = new_page(browser, law_server)
    try:
        ask(page, "Doanh nghiệp muốn làm tour lữ hành quốc tế thì nộp hồ sơ xin giấy phép ở cơ quan nào?")
        card = page.locator("#answer .answer")
        expect(card.locator("blockquote")).to_contain_text("nộp 01 bộ hồ sơ đến Tổng cục Du lịch")
        link = card.locator(".cite a")
        expect(link).to_contain_text("Điều 33 Luật Du lịch số 09/2017/QH14 ngày 19/6/2017")
        assert "D33" in (link.get_attribute("href") or ""), link.get_attribute("href")
        assert_no_csp_violations(page)
    finally:
        page.context.close()


def test_dashboard_shows_late_work_per_agency_and_links_to_its_clause(page):
    """#/theo-doi on 1 January 2022: the seed plan's district committees and pillar units are late with their
    "trước ngày 20/12/2021" plans (bars drawn under the CSP); a late task's link opens the plan at its clause."""
    from playwright.sync_api import expect

    page.goto("/#/theo-doi?at=2022-01-01")
    table = page.locator("table.board")
    expect(table).to_be_visible()
    expect(table.locator("caption")).to_contain_text("Ngày 01/01/2022")
    late = table.locator("tr.late")
    expect(late.first).to_be_visible()
    assert late.count() >= 2 and "Ủy ban nhân dân các huyện" in table.inner_text()
    bar = late.first.locator(".bar span.overdue")
    expect(bar).to_be_visible()
    assert bar.bounding_box()["width"] > 5  # a width set through the CSSOM, not refused by the CSP
    link = page.locator("ul.late li a").first
    expect(page.locator("ul.late li").first).to_contain_text("Quá hạn từ 19/12/2021")
    folder = Path(__file__).resolve().parent.parent / "artifacts"
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / "theo-doi.png"), full_page=True)
    link.click()
    expect(page.locator("#doc-view")).to_be_visible()
    expect(page.locator("#doc-view h2").first).to_contain_text("1212/KH-UBND")
    page.get_by_role("link", name="← Quay lại theo dõi nhiệm vụ").click()  # back to the same day's board
    expect(page.locator("table.board caption")).to_contain_text("Ngày 01/01/2022")


def test_dashboard_at_phone_width_has_no_horizontal_scroll(browser, server):
    from playwright.sync_api import expect

    page = new_page(browser, server, viewport={"width": 375, "height": 800})
    try:
        page.goto("/#/theo-doi?at=2022-01-01")
        expect(page.locator("table.board tr.late").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert_no_csp_violations(page)
    finally:
        page.context.close()
