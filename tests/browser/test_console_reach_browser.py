"""A console that fits a phone: at 390 px, every control and every table cell of every console page can be
reached. An element is out of reach when it lies beyond the content of the container that scrolls it
(its scrollWidth), or outside an overflow:hidden/clip ancestor that cuts it off: `.card.flush
{overflow: hidden}` on a `.table-scroll` did that to the Peserta actions, the events list, Ringkasan
program and the access log. The pages are those the accessibility walk visits (every console GET route
of the URL map)."""
from playwright.sync_api import expect

from tests.browser.axe_walk import console_pages, log_in, violations

# Each visible control or cell that cannot be brought into view: "tag text: why" lines.
OUT_OF_REACH = """() => {
  const name = (el) => `${el.tagName.toLowerCase()} "${(el.textContent || el.name || el.value || '').trim()
    .replace(/\\s+/g, ' ').slice(0, 30)}"`;
  const found = [];
  const elements = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, th, td');
  for (const el of elements) {
    // Not shown (display none, inside a closed <details>, visibility hidden): nothing to reach yet.
    if (el.closest('.visually-hidden') || !el.checkVisibility({visibilityProperty: true})) continue;
    let box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    for (let holder = el.parentElement; holder && holder !== document.documentElement;
         holder = holder.parentElement) {
      const overflow = getComputedStyle(holder).overflowX;
      if (overflow === 'visible') continue;
      const outer = holder.getBoundingClientRect();
      const left = outer.left + holder.clientLeft, right = left + holder.clientWidth;
      if (overflow === 'hidden' || overflow === 'clip') {
        if (box.right > right + 1 || box.left < left - 1) {
          found.push(`${name(el)}: cut off by ${holder.tagName.toLowerCase()}.${[...holder.classList].join('.')}`);
          break;
        }
      } else {
        const contentRight = left - holder.scrollLeft + holder.scrollWidth;
        if (box.right > contentRight + 1) {
          found.push(`${name(el)}: beyond the scroll width of ${holder.tagName.toLowerCase()}`);
          break;
        }
        // Reachable inside this scroller: from here up, what must be reachable is the scroller's view.
        box = {left: Math.max(box.left, left), right: Math.min(box.right, right)};
      }
    }
  }
  return found;
}"""


def test_every_console_element_is_within_reach_at_390_px(axe_context, bimtek):
    page = axe_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    log_in(page)
    found = {}
    for path in console_pages(bimtek):
        assert page.goto(path).status < 400, path
        out_of_reach = page.evaluate(OUT_OF_REACH)
        # What a <details> holds ("Cabut / terbitkan ulang", filters) must be reachable once opened too.
        page.evaluate("document.querySelectorAll('details').forEach((details) => { details.open = true; })")
        out_of_reach += [f"(opened) {problem}" for problem in page.evaluate(OUT_OF_REACH)]
        if out_of_reach:
            found[path] = out_of_reach[:6]
    assert found == {}


def test_the_pages_of_a_draft_and_an_unknown_certificate_pass_axe(axe_context, bimtek, make):
    """Pages that exist only in states the accessibility walk does not visit: a draft's checklist, the
    OPD table after "Pilih semua", the verification page of an unknown code."""
    make.event(slug="draf-uji", status="draft", opds=0)
    page = axe_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(page)
    found = {}
    page.goto("/admin/acara/draf-uji")
    page.get_by_role("button", name="Buka pendaftaran").click()
    expect(page.locator(".alert-danger")).to_contain_text("Yang belum lengkap")
    found["draft dashboard (refused)"] = violations(page) + page.evaluate(OUT_OF_REACH)
    page.goto("/admin/acara/draf-uji/opd")
    page.get_by_role("button", name="Pilih semua", exact=True).click()
    expect(page.locator("input[name=take_part]:checked")).to_have_count(3)
    found["OPD table, all ticked"] = violations(page) + page.evaluate(OUT_OF_REACH)
    assert page.goto("/verifikasi/TIDAKADA").status == 404
    found["unknown certificate"] = violations(page)
    assert {name: problems for name, problems in found.items() if problems} == {}
