// Opens every HTML page under a built site folder in Debian's headless chromium (file://) and
// reports, as JSON on stdout: console errors and warnings, page errors, failed resource loads,
// requests that leave the output folder, and charts that are not visible.
//
// usage: node check_pages.mjs OUTPUT_DIR [CHROMIUM]
import { chromium } from "playwright-core";
import { readdirSync, statSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";

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
let checked = 0, charts = 0;
for (const file of pages(root)) {
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
  const title = await page.title();
  if (!title.trim()) problems.push(`${rel}: empty <title>`);
  await page.close();
  checked++;
}
await browser.close();
console.log(JSON.stringify({ checked, charts, problems }));
