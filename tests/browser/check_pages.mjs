// Opens every HTML page under a built site folder in Debian's headless chromium (file://) and
// reports, as JSON on stdout: console errors and warnings, page errors, failed resource loads,
// requests that leave the output folder, charts that are not visible, every axe-core violation
// of WCAG 2.0/2.1 A and AA (at 1280 px), and pages that scroll sideways at 320 px.
//
// usage: node check_pages.mjs OUTPUT_DIR [CHROMIUM]
import { chromium } from "playwright-core";
import { readdirSync, statSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";

const axePath = createRequire(import.meta.url).resolve("axe-core");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const root = resolve(process.argv[2]);
const exe = process.argv[3] || "/usr/bin/chromium";
const rootUrl = pathToFileURL(root + sep).href;

function pages(dir) {
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return pages(p);
    return n.endsWith(".html") ? [p] : [];
  });
}

const browser = await chromium.launch({
  executablePath: exe,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const problems = [];
let checked = 0, charts = 0, axe = 0;
const axeRules = {};
async function check(file) {
  const rel = file.slice(root.length + 1);
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`${rel}: console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`${rel}: page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`${rel}: failed to load ${r.url()}: ${r.failure()?.errorText}`));
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith(rootUrl) && !u.startsWith("data:") && u !== "about:blank") {
      problems.push(`${rel}: request leaves the output folder: ${u}`);
    }
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`${rel}: ${r.status()} for ${r.url()}`);
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  // Every chart must be visible: rendered with a non-empty box, inside an open layout.
  const hidden = await page.$$eval("svg[role=img]", (svgs) => svgs
    .map((s, i) => { const b = s.getBoundingClientRect(); const st = getComputedStyle(s);
      return (b.width < 50 || b.height < 30 || st.visibility === "hidden" || st.display === "none") ? `chart #${i} (${s.getAttribute("aria-label")})` : null; })
    .filter(Boolean));
  charts += await page.$$eval("svg[role=img]", (s) => s.length);
  for (const h of hidden) problems.push(`${rel}: ${h} is not visible`);
  const lang = await page.$eval("html", (h) => h.getAttribute("lang"));
  if (!lang) problems.push(`${rel}: no lang attribute`);
  // axe-core: WCAG 2.0/2.1 A and AA; every violation is a problem, named by rule and target.
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"], preload: false });
    return r.violations.flatMap((v) => v.nodes.map((n) => ({ rule: v.id, target: n.target.join(" "), summary: n.failureSummary })));
  }, AXE_TAGS);
  axe += violations.length;
  for (const v of violations) {
    axeRules[v.rule] = (axeRules[v.rule] || 0) + 1;
    problems.push(`${rel}: axe ${v.rule} at ${v.target}: ${v.summary.replace(/\s+/g, " ")}`);
  }
  // Reflow (WCAG 1.4.10): at 320 CSS px nothing scrolls sideways but a table inside its .scroll
  // container.
  await page.setViewportSize({ width: 320, height: 800 });
  const wide = await page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= w) return [];
    return Array.from(document.querySelectorAll("body *"))
      .filter((e) => !e.closest(".scroll") && e.getBoundingClientRect().right > w + 1)
      .filter((e) => !Array.from(e.children).some((c) => c.getBoundingClientRect().right > w + 1))
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}${e.className ? "." + e.className : ""} (right edge ${Math.round(e.getBoundingClientRect().right)})`);
  });
  if (wide.length) problems.push(`${rel}: scrolls sideways at 320 px: ${wide.join(", ")}`);
  const title = await page.title();
  if (!title.trim()) problems.push(`${rel}: empty <title>`);
  await page.close();
  checked++;
}
// A few pages at once (PAGE_JOBS, default 4): chromium renders and axe runs in the browser's
// processes while this script waits on one page.
const work = pages(root);
const jobs = Math.max(1, Number(process.env.PAGE_JOBS) || 4);
let next = 0;
await Promise.all(Array.from({ length: jobs }, async () => {
  while (next < work.length) await check(work[next++]);
}));
await browser.close();
console.log(JSON.stringify({ checked, charts, axe, axeRules, problems }));
