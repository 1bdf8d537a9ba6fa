"""Taps and typed characters a first-time citizen needs on a phone to get a request number.

Drives Debian's Chromium (Playwright) at 360 px against a running demo, as a first-time user with
nothing remembered by the browser: from the OSS centre page (or the wizard, `--start request`,
where the posters' QR code leads), choose the request type by its visible name, fill what each
step asks for (the fields marked required, then what an error asks for), and go on until the done
page shows the request number. Every click, check or focus of a field is a tap; every character
typed is counted. It finds things by what a person sees (the type's name, the labels' `required`
fields, the step's main button), not by the page's layout, so it keeps working when the pages
are redesigned.

    make demo   # in another terminal (or PORT=8103 make demo, then --base http://127.0.0.1:8103)
    .venv/bin/python bench/taps.py [--base http://127.0.0.1:8000] [--type ไฟฟ้าสาธารณะ]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
# What a citizen types into a field, by the field's name.
VALUES = {
    "subject": "ไฟฟ้าดับหน้าบ้าน",
    "details": "ไฟส่องสว่างหน้าบ้านดับมา 3 คืน",
    "title": "นาย",
    "first_name": "สมชาย",
    "last_name": "ใจดี",
    "phone": "0812345678",
    "house_no": "12",
    "subdistrict": "นาโบสถ์",
    "district": "วังเจ้า",
    "province": "ตาก",
    "postcode": "63180",
    "road": "พหลโยธิน",
}
# Filled on a first pass when a step shows them, required or not: the least a citizen gives for
# "where" (the place step asks for an address or a pin, so no single field is marked required).
FIRST_PASS = {"house_no", "subdistrict"}
# A consent box: ticked before going on, as the step asks.
CONSENT = re.compile(r"ยอมรับ|ยินยอม|accept|agree", re.I)
# The step's main button, in Thai or English.
NEXT = re.compile(r"^\s*(ต่อไป|ถัดไป|ส่งเรื่อง|ยืนยัน|ยื่นคำร้อง|Next|Continue|Send|Submit|Confirm)", re.I)


def national_id(rng: random.Random) -> str:
    digits = [rng.randint(1, 8)] + [rng.randint(0, 9) for _ in range(11)]
    check = (11 - sum(d * (13 - i) for i, d in enumerate(digits)) % 11) % 10
    return "".join(map(str, digits)) + str(check)


@dataclass
class Count:
    taps: int = 0
    characters: int = 0
    log: list[str] = field(default_factory=list)

    def tap(self, what: str) -> None:
        self.taps += 1
        self.log.append(f"tap   {what}")

    def type(self, what: str, text: str) -> None:
        self.taps += 1  # focusing the field
        self.characters += len(text)
        self.log.append(f"type  {what}: {text} ({len(text)})")


def choose_type(page: Page, name: str, count: Count) -> None:
    """On a page listing the types: open the one named `name` (its link, or its card's link)."""
    target = page.get_by_text(name, exact=True).first
    handle = target.evaluate_handle(
        "el => el.closest('a')"
        " || el.closest('li, article, .card, section, div')?.querySelector('a')"
    )
    element = handle.as_element()
    if element is None:
        raise SystemExit(f"no link for the type {name!r} on {page.url}")
    element.click()
    count.tap(f"type “{name}”")
    page.wait_for_load_state()


def fill_step(page: Page, type_name: str, count: Count, rng: random.Random, *, more: bool) -> bool:
    """Fill what the step asks for; with `more`, also the known empty fields (after an error).
    Returns whether anything was filled."""
    filled = False
    radios = page.locator("input[type=radio][name=request_type]")
    if radios.count() and not page.locator("input[name=request_type]:checked").count():
        page.get_by_label(type_name, exact=True).check()
        count.tap(f"type “{type_name}”")
        filled = True
    main = page.locator("main form[method=post]")
    boxes = "input[type=checkbox][required]" + (", .has-error input[type=checkbox]" if more else "")
    consent = [
        box
        for box in main.locator("input[type=checkbox]").all()
        if CONSENT.search(box.evaluate("e => e.labels?.[0]?.innerText || ''"))
    ]
    for box in [*main.locator(boxes).all(), *consent]:
        if box.is_visible() and not box.is_checked():
            box.check()
            count.tap(f"tick {box.get_attribute('name')}")
            filled = True
    selector = (
        "input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]),"
        " textarea, select"
    )
    for element in main.locator(selector).all():
        name = element.get_attribute("name") or ""
        in_error = more and element.evaluate("e => !!e.closest('.has-error')")
        required = element.get_attribute("required") is not None
        wanted = required or in_error or name in FIRST_PASS or (more and name in VALUES)
        if not wanted or not element.is_visible() or element.input_value():
            continue
        if element.evaluate("e => e.tagName") == "SELECT":
            options = element.locator("option:not([value=''])")
            element.select_option(options.first.get_attribute("value"))
            count.tap(f"choose {name}")
        else:
            text = national_id(rng) if name == "national_id" else VALUES.get(name, "ทดสอบ")
            element.fill(text)
            element.dispatch_event("change")
            count.type(name, text)
        filled = True
    return filled


def press_next(page: Page, count: Count) -> None:
    found = page.locator("main").get_by_role("button", name=NEXT).all()
    buttons = [b for b in found if b.is_visible()]
    if not buttons:
        text = page.locator("main").inner_text()[:600]
        raise SystemExit(f"no next button on {page.url}:\n{text}")
    button = buttons[-1]
    label = button.inner_text().strip()
    button.click()
    count.tap(f"button “{label}”")
    dialog = page.get_by_role("dialog")
    if dialog.count() and dialog.first.is_visible():
        dialog.get_by_role("button", name=NEXT).first.click()
        count.tap("confirm in the dialog")
    page.wait_for_load_state()


def file_request(page: Page, base: str, slug: str, type_name: str, start: str) -> Count:
    count = Count()
    rng = random.Random(2569)
    page.goto(f"{base}/{slug}/{'oss/' if start == 'oss' else 'request/'}")
    if start == "oss":
        choose_type(page, type_name, count)
    more = False
    for _ in range(12):
        if page.locator("#case-number").count():
            return count
        url = page.url
        filled = fill_step(page, type_name, count, rng, more=more)
        press_next(page, count)
        if page.url == url and not page.locator("#case-number").count():
            if more and not filled:
                raise SystemExit(f"stuck on {url}:\n" + page.locator("main").inner_text()[:800])
            more = True  # the step said what is missing: fill the rest that is known
        else:
            more = False
    raise SystemExit("no request number after 12 steps")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--slug", default="wangchao")
    parser.add_argument("--type", default="ไฟฟ้าสาธารณะ", help="the request type's visible name")
    parser.add_argument("--start", choices=("oss", "request"), default="oss")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every tap")
    args = parser.parse_args(argv)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(
            viewport={"width": 360, "height": 740}, locale="th-TH", has_touch=True
        )
        page: Any = context.new_page()
        count = file_request(page, args.base.rstrip("/"), args.slug, args.type, args.start)
        number = page.locator("#case-number").inner_text().strip()
        browser.close()
    if args.verbose:
        print("\n".join(count.log))
    print(f"start={args.start} type={args.type} request={number}")
    print(f"taps={count.taps} characters={count.characters}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
