// Opens every HTML page under a built site folder in Debian's headless chromium (file://) at a
// phone's width (390 × 844, touch) and at a laptop's (1366 × 768), and reports, as JSON on
// stdout, what keeps a page from reading well:
// - chart text: every <text> of a visible chart drawn at 11 CSS px or more (its font size times
//   the scale the chart is drawn at), inside its chart's box and on screen, never cut short
//   with "…", and not overlapping another text of the same chart;
// - at 1366 px, charts are drawn at their own size (scale 1), so every chart of one kind shows
//   its text at one size (`sizes` lists the rendered sizes seen);
// - at 390 px: the page does not scroll sideways; each row of a manager's score breakdown (every
//   `details.why` opened) shows its name, value and points on screen, the name not squeezed to
//   a character or two a line; a table that scrolls sideways shows a visible cue (a shade at the
//   edge it continues past); the navigation takes a small part of the first screen
//   (`navHeight`), every link of it still reachable;
// - screenshots (full page) at both widths of the first page of each kind go to SHOT_DIR.
//
// usage: node check_phone.mjs OUTPUT_DIR CHROMIUM SHOT_DIR
import { chromium } from "playwright-core";
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";

const root = resolve(process.argv[2]);
const exe = process.argv[3] || "/usr/bin/chromium";
const shots = process.argv[4];
if (shots) mkdirSync(shots, { recursive: true });

function pages(dir) {
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return pages(p);
    return n.endsWith(".html") ? [p] : [];
  });
}

// The kind of a page, for screenshots: its first path segment and its depth ("months/2026-03" and
// "months/2026-04" are one kind).
const kind = (rel) => {
  const parts = rel.split(sep);
  return parts.length === 1 ? parts[0] : `${parts[0]}${parts.length}`;
};

// Chart text in the page: every problem, and the rendered sizes seen.
function chartText() {
  const problems = [], sizes = [];
  const vw = document.documentElement.clientWidth;
  let texts = 0, charts = 0;
  document.querySelectorAll("svg[role=img]").forEach((svg, n) => {
    if (!svg.getClientRects().length) return; // not displayed (e.g. a closed <details>)
    charts++;
    const name = `chart #${n} (${svg.getAttribute("aria-label")})`;
    const sb = svg.getBoundingClientRect();
    const vb = svg.viewBox.baseVal;
    const scale = vb && vb.width ? sb.width / vb.width : 1;
    const boxes = [];
    for (const t of svg.querySelectorAll("text")) {
      const text = t.textContent;
      if (!text.trim()) continue;
      texts++;
      const m = t.getScreenCTM();
      const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
      sizes.push(Math.round(px * 10) / 10);
      if (px < 11 - 1e-6) problems.push(`${name}: "${text}" drawn at ${px.toFixed(2)} px`);
      if (/[…]$|\.\.\.$/.test(text)) problems.push(`${name}: "${text}" is cut short`);
      const b = t.getBoundingClientRect();
      if (b.left < sb.left - 0.5 || b.right > sb.right + 0.5 || b.top < sb.top - 0.5 || b.bottom > sb.bottom + 0.5) {
        problems.push(`${name}: "${text}" leaves the chart (text ${Math.round(b.left)}–${Math.round(b.right)} × ${Math.round(b.top)}–${Math.round(b.bottom)}, chart ${Math.round(sb.left)}–${Math.round(sb.right)} × ${Math.round(sb.top)}–${Math.round(sb.bottom)})`);
      }
      if (b.left < -0.5 || b.right > vw + 0.5) problems.push(`${name}: "${text}" is off screen`);
      boxes.push({ text, b });
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [p, q] = [boxes[i].b, boxes[j].b];
        const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
        const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
        // Glyph boxes include the font's line gap: a small overlap of boxes is no overlap of ink.
        if (w > 1 && h > Math.min(p.height, q.height) * 0.3) {
          problems.push(`${name}: "${boxes[i].text}" overlaps "${boxes[j].text}"`);
        }
      }
    }
    if (Math.abs(scale - 1) > 1e-3) sizes.push(`scale ${scale.toFixed(3)}`);
  });
  return { problems, sizes, texts, charts };
}

// Whether a scrolling table `el` shows a shade at its `side` edge: a displayed pseudo-element of
// it or of its parent, at least 4 px wide, whose box ends at that edge of `el`.
function shadeAt(el, side) {
  const eb = el.getBoundingClientRect();
  return [el, el.parentElement].some((host) => ["::before", "::after"].some((p) => {
    const s = getComputedStyle(host, p);
    if (s.content === "none" || s.content === "normal" || s.display === "none" || s.visibility === "hidden") return false;
    if (parseFloat(s.opacity) === 0 || !(parseFloat(s.width) >= 4)) return false;
    const hb = host.getBoundingClientRect();
    return side === "left"
      ? Math.abs(hb.left + parseFloat(s.left) - eb.left) < 2
      : Math.abs(hb.right - parseFloat(s.right) - eb.right) < 2;
  }));
}

// What a phone reader sees beyond the charts.
function phoneLayout() {
  const problems = [];
  const doc = document.documentElement;
  const vw = doc.clientWidth;
  if (doc.scrollWidth > vw + 1) problems.push(`the page scrolls sideways (${doc.scrollWidth} px wide)`);
  // The score breakdown: each row's name, value and points on screen, the name readable.
  let rows = 0;
  document.querySelectorAll("table.why-table tr").forEach((tr) => {
    const cells = Array.from(tr.children);
    const name = cells[0];
    const wanted = [["name", name], ["points", cells[cells.length - 1]]];
    if (cells.length >= 4) wanted.push(["value", cells[1]]);
    rows++;
    for (const [what, cell] of wanted) {
      const b = cell.getBoundingClientRect();
      if (!(b.width > 0 && b.height > 0) || b.left < -0.5 || b.right > vw + 0.5) {
        problems.push(`breakdown row "${name.textContent.trim()}": its ${what} "${cell.textContent.trim()}" is not on screen (${Math.round(b.left)}–${Math.round(b.right)})`);
      }
    }
    const range = document.createRange();
    range.selectNodeContents(name);
    const tops = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
    const chars = Array.from(name.textContent.trim()).length;
    if (tops.size > 1 && chars / tops.size < 4) {
      problems.push(`breakdown row "${name.textContent.trim()}": its name is squeezed to ${tops.size} lines`);
    }
  });
  // Tables that scroll sideways show a cue: a shade over the edge they continue past.
  let scrolling = 0;
  for (const el of document.querySelectorAll(".scroll")) {
    if (!el.getClientRects().length) continue;
    if (el.scrollWidth <= el.clientWidth + 1) {
      if (shadeAt(el, "right") || shadeAt(el, "left")) problems.push(`a table that fits shows a scroll cue`);
      continue;
    }
    scrolling++;
    el.scrollLeft = 0;
    el.dispatchEvent(new Event("scroll"));
    const label = (el.querySelector("table")?.id || el.querySelector("th")?.textContent || "").trim();
    if (!shadeAt(el, "right")) problems.push(`table "${label}" scrolls sideways with no cue at its right edge`);
  }
  // Navigation: compact, every link reachable by scrolling it or from a menu.
  const nav = document.querySelector("nav.nav");
  const bar = nav?.querySelector("ul");
  if (bar && bar.scrollWidth > bar.clientWidth + 1 && !["auto", "scroll"].includes(getComputedStyle(bar).overflowX)) {
    problems.push("navigation links are out of reach");
  }
  const navHeight = nav ? nav.getBoundingClientRect().height : 0;
  const headerBottom = document.querySelector("header")?.getBoundingClientRect().bottom ?? 0;
  return { problems, rows, scrolling, navHeight, headerBottom };
}

const browser = await chromium.launch({
  executablePath: exe,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
const laptop = await browser.newContext({ viewport: { width: 1366, height: 768 } });
await phone.addInitScript({ content: `window.shadeAt = ${shadeAt.toString()};` });
const problems = [];
const shot = new Set();
let checked = 0, charts = 0, texts = 0, rows = 0, scrolling = 0, navHeight = 0, headerBottom = 0;
const sizes = {};
// The first page of each kind (in path order) is photographed: decided before the pages are
// checked, a few at a time (independent pages; the counters are only added to).
const work = pages(root).map((file) => {
  const rel = file.slice(root.length + 1);
  const k = kind(rel);
  const first = !shot.has(k);
  shot.add(k);
  return { file, rel, first, name: rel.replaceAll(sep, "_").replace(/\.html$/, "") };
});
async function check({ file, rel, first, name }) {
  for (const [width, ctx] of [[390, phone], [1366, laptop]]) {
    const page = await ctx.newPage();
    page.on("pageerror", (e) => problems.push(`${rel} @${width}: page error: ${e.message}`));
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    const c = await page.evaluate(chartText);
    for (const p of c.problems) problems.push(`${rel} @${width}: ${p}`);
    if (width === 390) {
      charts += c.charts;
      texts += c.texts;
      // Every score breakdown opened; its tables laid out (and their cues set) before the check.
      await page.evaluate(() => document.querySelectorAll("details.why").forEach((d) => { d.open = true; }));
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const l = await page.evaluate(phoneLayout);
      for (const p of l.problems) problems.push(`${rel} @390: ${p}`);
      rows += l.rows;
      scrolling += l.scrolling;
      navHeight = Math.max(navHeight, l.navHeight);
      headerBottom = Math.max(headerBottom, l.headerBottom);
      // The cue moves with the reader: scrolled to its end, a table shows it at its left edge.
      const ends = await page.evaluate(() => {
        const out = [];
        for (const el of document.querySelectorAll(".scroll")) {
          if (!el.getClientRects().length || el.scrollWidth <= el.clientWidth + 1) continue;
          el.scrollLeft = el.scrollWidth;
          out.push(el.querySelector("table")?.id || el.querySelector("th")?.textContent.trim() || "");
        }
        return out;
      });
      if (ends.length) {
        // Scroll events are delivered before the next frame is drawn.
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        const missing = await page.evaluate(() => {
          const out = [];
          for (const el of document.querySelectorAll(".scroll")) {
            if (!el.getClientRects().length || el.scrollWidth <= el.clientWidth + 1) continue;
            const label = el.querySelector("table")?.id || el.querySelector("th")?.textContent.trim() || "";
            if (!shadeAt(el, "left")) out.push(`table "${label}" scrolled to its end shows no cue at its left edge`);
            if (shadeAt(el, "right")) out.push(`table "${label}" scrolled to its end still shows a cue at its right edge`);
          }
          return out;
        });
        for (const p of missing) problems.push(`${rel} @390: ${p}`);
        await page.evaluate(() => document.querySelectorAll(".scroll").forEach((el) => { el.scrollLeft = 0; }));
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      }
    } else {
      for (const s of c.sizes) sizes[s] = (sizes[s] || 0) + 1;
    }
    if (shots && first) await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
    await page.close();
  }
  checked++;
}
// Chromium renders in its own processes: a few pages at once keep the cores busy while this
// script waits on one (PHONE_JOBS, default 4).
const jobs = Math.max(1, Number(process.env.PHONE_JOBS) || 4);
let next = 0;
await Promise.all(Array.from({ length: jobs }, async () => {
  while (next < work.length) await check(work[next++]);
}));
await browser.close();
console.log(JSON.stringify({ checked, charts, texts, rows, scrolling, navHeight, headerBottom, sizes, problems }));
