// Opens the month, quarter and year pages of a built site at phone width (390 × 844) in headless
// chromium and reports, as JSON on stdout, what a reader sees of the rating levels: badges,
// the level chart, escalated managers, the quarter ranking, promotion and demotion candidates,
// horizontal overflow of the page, and the ranking sorted by the level column.
//
// usage: node check_levels.mjs OUTPUT_DIR MONTH QUARTER YEAR [CHROMIUM]
import { chromium } from "playwright-core";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [root, month, quarter, year] = process.argv.slice(2, 6).map((x, i) => (i ? x : resolve(x)));
const exe = process.argv[6] || "/usr/bin/chromium";
const browser = await chromium.launch({ executablePath: exe, args: ["--no-sandbox", "--disable-gpu"] });
const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
const problems = [];
const report = { problems };

async function open(rel) {
  const page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`${rel}: page error: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`${rel}: console error: ${m.text()}`); });
  await page.goto(pathToFileURL(join(root, rel)).href, { waitUntil: "load" });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 1) problems.push(`${rel}: the page is ${overflow}px wider than the phone screen`);
  return page;
}

const visible = (page, sel) => page.$$eval(sel, (els) => els.filter((e) => {
  const b = e.getBoundingClientRect(); const s = getComputedStyle(e);
  return b.width > 0 && b.height > 0 && s.visibility !== "hidden" && s.display !== "none";
}).length);

// Month page.
{
  const page = await open(`months/${month}/index.html`);
  report.rows = await page.$$eval("#ranking tbody tr", (r) => r.length);
  report.badges = await page.$$eval("#ranking tbody .badge.level", (b) => b.length);
  report.levelChart = await visible(page, ".levels svg[role=img]");
  report.escalated = await page.$$eval(".escalated li", (l) => l.map((x) => x.textContent.trim()));
  // Sort by the level column (a header cell, or a button inside it), best level first.
  const idx = await page.$$eval("#ranking thead tr:last-child th", (ths) => ths.findIndex((t) => t.classList.contains("level-col") || /考核等次|Rating/.test(t.textContent)));
  report.levelColumn = idx;
  if (idx >= 0) {
    const th = (await page.$$("#ranking thead tr:last-child th"))[idx];
    const button = await th.$("button");
    await (button || th).click();
    report.sorted = await page.$$eval(`#ranking tbody tr td:nth-child(${idx + 1})`, (tds) => tds.map((td) => Number(td.getAttribute("data-v"))));
  }
  await page.screenshot({ path: join(root, "..", "phone-month.png"), fullPage: true });
  await page.close();
}
// Quarter page.
{
  const page = await open(`quarters/${quarter}/index.html`);
  report.quarterRows = await visible(page, "table.sortable tbody tr");
  report.quarterRatings = await page.$$eval("table.sortable tbody tr td:last-child", (t) => t.map((x) => x.textContent.trim()).filter(Boolean).length);
  await page.close();
}
// Year page.
{
  const page = await open(`years/${year}/index.html`);
  report.quarterLinks = await visible(page, "nav.quarters a");
  report.candidates = await page.$$eval(".grade-candidates tbody tr", (r) => r.map((x) => x.textContent.trim()));
  await page.close();
}
await browser.close();
console.log(JSON.stringify(report));
