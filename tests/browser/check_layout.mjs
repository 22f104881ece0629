// Layout of one ranking page (a month page) in Debian's headless chromium, reported as JSON on
// stdout for tests/browser.rs to judge:
// - at 1366×768, without scrolling: the boxes of the rank, name, total and change headers;
// - at 390×844, after scrolling the table's .scroll container to its far right: the boxes of the
//   first row's name and total cells, and whether each is the topmost element at its centre;
// - sorting from the keyboard: Tab to the total header's button, Enter; aria-sort and the first
//   rows' totals, and the focus outline's style;
// - the skip link is the first thing Tab reaches;
// - printed to PDF (A4): the PDF is written to PDF_OUT (tests/browser.rs reads its text).
// Screenshots at 1366 and 390 px go to SHOT_DIR when it is given.
//
// usage: node check_layout.mjs PAGE.html CHROMIUM PDF_OUT [SHOT_DIR]
import { chromium } from "playwright-core";
import { resolve, join } from "node:path";
import { pathToFileURL } from "node:url";

const [pagePath, exe, pdfOut, shots] = process.argv.slice(2);
const url = pathToFileURL(resolve(pagePath)).href;
const browser = await chromium.launch({
  executablePath: exe,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const report = {};
const box = (page, sel) => page.$eval(sel, (e) => {
  const b = e.getBoundingClientRect();
  return { left: b.left, right: b.right, top: b.top, bottom: b.bottom };
});

// Desktop: the eye lands on rank, name, total and change.
{
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(url, { waitUntil: "load" });
  report.desktop = {};
  for (const c of ["col-rank", "col-name", "col-total", "col-change"]) {
    report.desktop[c] = await box(page, `#ranking thead th.${c}`);
  }
  report.desktop.totalLabel = await page.$eval("#ranking thead th.col-total", (e) => e.textContent.trim());
  if (shots) await page.screenshot({ path: join(shots, "month-1366.png") });

  // Keyboard: the skip link comes first; then Tab to the total's sort button and press Enter.
  await page.keyboard.press("Tab");
  report.firstTab = await page.evaluate(() => ({
    cls: document.activeElement.className, href: document.activeElement.getAttribute("href") }));
  await page.focus("#ranking thead th.col-total button");
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Tab");
  report.focused = await page.evaluate(() => {
    const e = document.activeElement, s = getComputedStyle(e);
    return { tag: e.tagName, inTotal: !!e.closest("th.col-total"), outline: s.outlineStyle, outlineWidth: s.outlineWidth };
  });
  await page.keyboard.press("Enter");
  const sorted = () => page.evaluate(() => ({
    ariaSort: document.querySelector("#ranking thead th.col-total").getAttribute("aria-sort"),
    totals: Array.from(document.querySelectorAll("#ranking tbody td.col-total")).map((td) => td.textContent.trim()),
  }));
  report.sortedOnce = await sorted();
  await page.keyboard.press("Space");
  report.sortedTwice = await sorted();
  await page.close();
}

// Phone: name and total stay in view while the indicator columns scroll.
{
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await page.goto(url, { waitUntil: "load" });
  const scroll = await page.$eval("#ranking", (t) => {
    const c = t.closest(".scroll");
    const before = c.scrollLeft;
    c.scrollLeft = c.scrollWidth;
    return { before, after: c.scrollLeft, scrollWidth: c.scrollWidth, clientWidth: c.clientWidth };
  });
  await page.$eval("#ranking", (t) => t.scrollIntoView());
  report.phone = { scroll, pageWidth: await page.evaluate(() => document.documentElement.scrollWidth) };
  for (const c of ["col-name", "col-total"]) {
    const sel = `#ranking tbody tr:first-child td.${c}`;
    const b = await box(page, sel);
    const onTop = await page.$eval(sel, (e) => {
      const b = e.getBoundingClientRect();
      const hit = document.elementFromPoint((b.left + b.right) / 2, (b.top + b.bottom) / 2);
      return !!hit && (hit === e || e.contains(hit));
    });
    report.phone[c] = { ...b, onTop };
  }
  if (shots) await page.screenshot({ path: join(shots, "month-390.png") });
  await page.close();
}

// Print: A4 portrait, as a reader's browser would print it.
{
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: "load" });
  await page.emulateMedia({ media: "print" });
  const shown = (sel) => page.$$eval(sel, (c) => c.filter((e) => e.offsetParent !== null).map((e) => e.textContent.trim()));
  report.print = { head: await shown("#ranking thead tr:last-child th"), firstRow: await shown("#ranking tbody tr:first-child td") };
  await page.pdf({ path: pdfOut, format: "A4", printBackground: false });
  if (shots) {
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.screenshot({ path: join(shots, "month-print.png") });
  }
  await page.close();
}
await browser.close();
console.log(JSON.stringify(report));
