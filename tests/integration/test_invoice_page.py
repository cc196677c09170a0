"""The invoice page a customer opens from an email (`links.html`), in headless Chromium at a
phone's width and a desktop's: the legal footer at the foot, the parties side by side or stacked,
each number column's header over its values, nothing cut or running into its neighbour. Full-page
screenshots are kept in artifacts/invoice-page/."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from devserver.stack import ROOT, LocalStack
from tests.support.http import new_client

CHROMIUM = "/usr/bin/chromium"
# As root, without the sandbox; nothing reaching out to Google's hosts, which this network refuses.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "artifacts" / "invoice-page"
PHONE, DESKTOP = 390, 1000

INVOICE = {
    "customer": {
        "name": "Librairie-Papeterie Martin & Fils SARL",
        "siren": "732829320",
        "email": "comptabilite.fournisseurs@librairie-martin.example",
        "address": {
            "line1": "12 rue des Écoles",
            "line2": "Bâtiment B",
            "postal_code": "75005",
            "city": "Paris",
        },
    },
    "title": "Refonte du site et abonnement annuel",
    "payment_terms": "30",
    "operation_nature": "mixed",
    "lines": [
        {"kind": "section", "title": "Site vitrine"},
        {
            "title": "Maquettes, intégration responsive et recette sur les navigateurs du marché",
            "description": "Douze gabarits de page, accessibilité RGAA niveau AA",
            "quantity": "12",
            "unit": "jour",
            "unit_price": "1250.00",
            "vat_rate": "20",
            "discount": {"type": "percent", "value": "7.5"},
        },
        {"title": "Hébergement", "quantity": "12", "unit": "mois", "unit_price": "19.99", "vat_rate": "20"},
        {"kind": "comment", "title": "Mise en ligne prévue le 15 janvier."},
        {"kind": "section", "title": "Ouvrages"},
        {"title": "Livres", "quantity": "140", "unit_price": "12.50", "vat_rate": "5.5"},
    ],
}

# What the page's layout is, read in the browser: boxes of the elements and of their text.
LAYOUT = """() => {
  const box = (element) => element.getBoundingClientRect().toJSON();
  const text = (element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    return range.getBoundingClientRect().toJSON();
  };
  const shown = (element) => getComputedStyle(element).display !== "none";
  const footer = document.getElementById("footer");
  const blocks = [...document.body.children].filter((e) => shown(e) && e !== footer && e.id !== "watermark");
  const rows = [...document.querySelectorAll("table.lines tbody tr")];
  const items = rows.filter((row) => row.cells.length === 5);
  const leaves = [...document.body.querySelectorAll("*")].filter((e) => shown(e) && e.children.length === 0);
  return {
    width: window.innerWidth,
    scroll_width: document.documentElement.scrollWidth,
    footer: box(footer),
    footer_text: footer.innerText,
    blocks: blocks.map(box),
    title: box(document.querySelector("h1")),
    parties: [...document.querySelectorAll(".parties td")].map(box),
    headers: [...document.querySelectorAll("table.lines thead th")].map((th) => ({
      label: th.innerText, cell: box(th), text: text(th),
    })),
    items: items.map((row) => [...row.cells].map((td) => ({cell: box(td), text: text(td)}))),
    leaves: leaves.filter((e) => e.innerText.trim()).map((e) => ({text: e.innerText, box: text(e)})),
  };
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def pages(stack: LocalStack) -> dict[str, str]:
    """The finalized invoice's page, in French (its own language) and in English."""
    client = new_client(stack)
    created = client.create(INVOICE | {"finalize": True})
    assert created.status_code == 201, created.text
    invoice = created.json()
    english = client.request("GET", f"/v1/invoices/{invoice['id']}/download?format=html&locale=en")
    assert english.status_code == 303, english.text
    return {"fr": invoice["links"]["html"], "en": english.headers["Location"]}


def layout_of(browser: Browser, url: str, width: int, name: str) -> dict[str, Any]:
    page: Page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        answer = page.goto(url)
        assert answer is not None
        assert answer.status == 200
        assert answer.headers["content-type"].startswith("text/html"), (
            "the browser shows it, not downloads it"
        )
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)
        layout: dict[str, Any] = page.evaluate(LAYOUT)
        return layout
    finally:
        page.close()


@pytest.fixture(
    scope="module",
    params=[(locale, width) for locale in ("fr", "en") for width in (PHONE, DESKTOP)],
    ids=lambda param: f"{param[0]}-{param[1]}px",
)
def layout(request: pytest.FixtureRequest, browser: Browser, pages: dict[str, str]) -> dict[str, Any]:
    locale, width = request.param
    return layout_of(browser, pages[locale], width, locale)


def test_the_legal_footer_is_at_the_foot_and_the_title_on_top(layout: dict[str, Any]):
    assert "SIREN" in layout["footer_text"]
    assert layout["footer"]["top"] >= max(block["bottom"] for block in layout["blocks"]), "footer last"
    assert layout["title"]["top"] <= min(block["top"] for block in layout["blocks"]) + 1, "title first"


def test_nothing_is_cut_or_wider_than_the_screen(layout: dict[str, Any]):
    assert layout["scroll_width"] <= layout["width"], "no horizontal scrolling"
    outside = [leaf["text"] for leaf in layout["leaves"] if leaf["box"]["right"] > layout["width"] + 0.5]
    assert not outside


def test_each_number_header_sits_over_its_values(layout: dict[str, Any]):
    headers = layout["headers"]
    assert len(headers) == 5
    for left, right in itertools.pairwise(headers):
        assert left["text"]["right"] <= right["text"]["left"] + 0.5, (
            f"{left['label']!r} runs into {right['label']!r}"
        )
    assert layout["items"]
    for row in layout["items"]:
        for column, value in enumerate(row[1:], start=1):
            header = headers[column]
            assert abs(value["text"]["right"] - header["text"]["right"]) <= 1, (
                f"{header['label']!r} over its values"
            )
        for value in row:
            assert value["cell"]["left"] - 0.5 <= value["text"]["left"], "a value starts inside its cell"
            assert value["text"]["right"] <= value["cell"]["right"] + 0.5, "a value ends inside its cell"


def test_the_parties_stand_side_by_side_on_a_desktop_and_stack_on_a_phone(layout: dict[str, Any]):
    seller, customer = layout["parties"]
    if layout["width"] == DESKTOP:
        assert seller["right"] <= customer["left"] + 0.5
        assert abs(seller["top"] - customer["top"]) <= 0.5
    else:
        assert seller["bottom"] <= customer["top"] + 0.5
