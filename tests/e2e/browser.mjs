#!/usr/bin/env node
// Browser checks of the built site, in Debian's Chromium driven by playwright-core.
//
//   node browser.mjs BASE_URL SITE_DIR ARTIFACTS_DIR
//
// BASE_URL is where SITE_DIR is served, e.g. http://127.0.0.1:41234/ai-bubble/.
// Every HTML file under SITE_DIR is a page. Prints one line per check:
//   "ok   <check>  <details>"  or  "FAIL <check>  <details>" followed by "       - <problem>" lines,
// and writes ARTIFACTS_DIR/browser.json (all measurements) and ARTIFACTS_DIR/screenshots/*.png.
// Exit code: 0 all checks passed, 1 some check failed, 2 the harness itself broke.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_VERSION = require('axe-core/package.json').version;

const [BASE, SITE, ART] = process.argv.slice(2);
if (!BASE || !SITE || !ART) {
  console.error('usage: node browser.mjs BASE_URL SITE_DIR ARTIFACTS_DIR');
  process.exit(2);
}
const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage'];
const WIDTHS = [360, 390, 1280];
// Embed pages (embed/<chart>/) are also checked alone at the widths of an iframe in a phone's
// column and in a desktop article, with the heights the embed code suggests.
const EMBED_WIDTHS = [320, 700];
// Chart embeds of every edition: embed/… and <language>/embed/….
const isEmbed = (p) => /^([a-z]{2,3}(-[A-Za-z0-9]+)*\/)?embed\//.test(p.file);
const SCREENSHOT_WIDTHS = new Set([390, 1280]);
const HEIGHT = { 320: 600, 360: 740, 390: 844, 700: 600, 1280: 900 };
// WCAG A and AA, and axe's best practices (a page standing alone has one h1, landmarks, …).
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
// Transfer budgets in bytes (1 KB = 1000 bytes), everything a page load fetches, charts included,
// as a reader downloads it: the server (serve.py) gzips text as GitHub Pages does.
const BUDGET = { home: 50_000, section: 30_000 };
const MIN_CHART_WIDTH = 300; // px, or 90 % of the content column when that is narrower
const MIN_CHART_HEIGHT = 100; // px
// A figure (qualifier, number, unit), a date or a metric name is one unbreakable unit.
// Figures, dates, metric names, and a company's name in its page's heading (short enough for
// one line on every width checked).
const UNBREAKABLE = '.num, a.fact, td.value, time, .facts th[scope="row"], .chart-table td, h1 .name';
const MIN_CELL_EM = 2; // no table cell narrower than two Chinese characters
const ORIGIN_HOST = new URL(BASE).host;
const SHOTS = path.join(ART, 'screenshots');

// ---- the pages: every .html file of the built folder --------------------------------------
function htmlFiles(dir, rel = '') {
  const out = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...htmlFiles(dir, r));
    else if (e.isFile() && /\.html?$/i.test(e.name)) out.push(r);
  }
  return out;
}
const pages = htmlFiles(SITE).sort((a, b) => (a === 'index.html' ? -1 : b === 'index.html' ? 1 : a.localeCompare(b)))
  .map((file) => {
    const urlPath = file === 'index.html' ? '' : file.replace(/(^|\/)index\.html$/, '$1');
    const name = file === 'index.html' ? 'home' : file.replace(/\/index\.html$/, '').replace(/\.html?$/, '').replace(/\//g, '-');
    // Every edition's pages: the default at the root, the others under their prefix (en/).
    const kind = /^([a-z]{2,3}(-[a-z0-9]+)*\/)?index\.html$/.test(file) ? 'home' : /^([a-z]{2,3}(-[a-z0-9]+)*\/)?sections\/[^/]+\/index\.html$/.test(file) ? 'section' : 'other';
    return { file, urlPath, name, kind, url: new URL(urlPath, BASE).href, label: `/${urlPath}` };
  });
if (!pages.length) { console.error(`no .html files under ${SITE}`); process.exit(2); }

// ---- reporting -------------------------------------------------------------------------------
let failed = 0;
let passed = 0;
function report(check, problems, details = '') {
  if (problems.length) {
    failed++;
    console.log(`FAIL ${check}  ${details}`.trimEnd());
    for (const p of problems.slice(0, 25)) console.log(`       - ${p}`);
    if (problems.length > 25) console.log(`       - ... and ${problems.length - 25} more (see browser.json)`);
  } else {
    passed++;
    console.log(`ok   ${check}  ${details}`.trimEnd());
  }
}
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;

// ---- 1. static: the published files hold no script at all ----------------------------------
// The one script element allowed is structured data, written exactly as
// <script type="application/ld+json">: a browser never runs a data block. Any other type, an
// src attribute or a second attribute is a failure.
const DATA_BLOCK = '<script type="application/ld+json">';
for (const p of pages) {
  const html = fs.readFileSync(path.join(SITE, p.file), 'utf8');
  const problems = [];
  for (const tag of html.match(/<script\b[^>]*>?/gi) || []) {
    if (tag !== DATA_BLOCK) problems.push(`script element in the HTML source: ${tag.slice(0, 80)}`);
  }
  for (const m of html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)) {
    try { JSON.parse(m[1]); } catch (e) { problems.push(`JSON-LD does not parse: ${e.message}`); }
  }
  report(`no-script ${p.label}`, problems, 'the published HTML has no <script> but JSON-LD data blocks (handlers and javascript: URLs: see browser checks)');
}

// ---- 1b. static: every shared page's og:image is an absolute URL of a 1200x630 PNG in the site --
// Pages are built with the site's own base_url, served here under its path: the image's path
// below the base path names the file.
{
  const home = fs.readFileSync(path.join(SITE, 'index.html'), 'utf8');
  const canonical = (home.match(/<link rel="canonical" href="([^"]+)"/) || [])[1] || BASE;
  const base = new URL(canonical);
  const problems = [];
  let cards = 0;
  for (const p of pages.filter((q) => !isEmbed(q) && q.file !== '404.html')) {
    const html = fs.readFileSync(path.join(SITE, p.file), 'utf8');
    const image = (html.match(/<meta property="og:image" content="([^"]+)">/) || [])[1];
    if (!image) { problems.push(`${p.label}: no og:image`); continue; }
    const url = new URL(image);
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
      problems.push(`${p.label}: og:image ${image} is not an absolute URL under ${base.href}`);
      continue;
    }
    const file = path.join(SITE, decodeURIComponent(url.pathname.slice(base.pathname.length)));
    let bytes;
    try { bytes = fs.readFileSync(file); } catch (e) { problems.push(`${p.label}: ${image} is not in the site`); continue; }
    const png = bytes.length > 24 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
      && bytes.subarray(12, 16).toString('latin1') === 'IHDR';
    const size = png ? `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}` : 'not a PNG';
    if (size !== '1200x630') problems.push(`${p.label}: ${image} is ${size}, not a 1200x630 PNG`);
    const meta = (key) => (html.match(new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)">`)) || [])[1];
    if (meta('og:image:width') !== '1200' || meta('og:image:height') !== '630') problems.push(`${p.label}: og:image:width/height are not 1200/630`);
    if (!meta('og:image:alt')) problems.push(`${p.label}: no og:image:alt`);
    if (meta('twitter:card') !== 'summary_large_image') problems.push(`${p.label}: twitter:card is not summary_large_image`);
    cards++;
  }
  report('og-image', problems, `${cards} pages name a 1200x630 PNG card of the site, with its size, alt text and summary_large_image`);
}

{
  const svgs = (function walk(rel) {
    return fs.readdirSync(path.join(SITE, rel), { withFileTypes: true }).flatMap((e) => {
      const r = rel ? `${rel}/${e.name}` : e.name;
      return e.isDirectory() ? walk(r) : /\.svg$/i.test(e.name) ? [r] : [];
    });
  })('');
  const bad = svgs.filter((f) => /<script\b|\son[a-z]+\s*=\s*["']/i.test(fs.readFileSync(path.join(SITE, f), 'utf8')));
  report('no-script *.svg', bad.map((f) => `${f}: script or on* handler`), `${svgs.length} SVG files hold no script`);
}

// ---- browser ---------------------------------------------------------------------------------
const results = { base: BASE, axeVersion: AXE_VERSION, chromium: null, budgets: BUDGET, views: [], axe: [], dark: [] };

// Each phase (one width, the dark scheme) runs in a Chromium of its own: one browser kept for
// ten minutes and some 500 page loads only grows, and a crash now costs one phase, not the rest.
// A phase that throws is one FAIL line that says how much disk and memory were left, since
// Chromium keeps its shared memory in /tmp (--disable-dev-shm-usage) and dies when that is full.
async function phase(name, run) {
  let browser = null;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    results.chromium ??= browser.version();
    await run(browser);
  } catch (e) {
    console.log(`FAIL browser harness (${name})  ${e.stack || e}`);
    console.log(`       ${machineState()}`);
    failed++;
  } finally {
    if (browser) await browser.close().catch(() => {});
  }
}

function machineState() {
  const mib = (n) => `${Math.round(n / 2 ** 20)} MiB`;
  const st = fs.statfsSync(os.tmpdir());
  return `free in ${os.tmpdir()}: ${mib(st.bavail * st.bsize)}; free memory: ${mib(os.freemem())} of ${mib(os.totalmem())}`;
}
fs.mkdirSync(SHOTS, { recursive: true });

function contextOptions(width, extra = {}) {
  const narrow = width < 600;
  return {
    viewport: { width, height: HEIGHT[width] || 900 },
    deviceScaleFactor: 1,
    isMobile: narrow,
    hasTouch: narrow,
    locale: 'zh-CN',
    serviceWorkers: 'block',
    ...extra,
  };
}

// One page load in a JavaScript-disabled context: everything a reader without scripts gets.
async function loadWithoutScripts(ctx, p, width) {
  const page = await ctx.newPage();
  const problems = [];
  const notes = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol !== 'data:' && u.protocol !== 'blob:' && u.host !== ORIGIN_HOST) problems.push(`request to another host: ${r.url()}`);
  });
  page.on('requestfailed', (r) => problems.push(`failed request: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => {
    // The deliberate 404 page may itself come back as 404 from a server that maps it; nothing else may.
    const isOwn404 = p.file === '404.html' && r.url() === p.url && r.status() === 404;
    if (r.status() >= 400 && !isOwn404) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });

  // Transfer size from the network layer: bytes on the wire (headers + body) of every request.
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const wire = new Map();
  cdp.on('Network.responseReceived', (e) => wire.set(e.requestId, { url: e.response.url, bytes: 0 }));
  cdp.on('Network.loadingFinished', (e) => {
    const w = wire.get(e.requestId) || { url: '?', bytes: 0 };
    w.bytes = e.encodedDataLength;
    wire.set(e.requestId, w);
  });

  let status = 0;
  try {
    const resp = await page.goto(p.url, { waitUntil: 'load', timeout: 30_000 });
    status = resp ? resp.status() : 0;
    await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => notes.push('network not idle after 5 s'));
  } catch (e) {
    problems.push(`navigation: ${e.message.split('\n')[0]}`);
  }

  const m = await page.evaluate(({ minW, minH, unbreakable, minCellEm }) => {
    const de = document.documentElement;
    const shown = (el) => el.checkVisibility({ visibilityProperty: true, opacityProperty: true })
      && el.getClientRects().length > 0;
    const clipped = (el) => {
      for (let a = el; a; a = a.parentElement) if (getComputedStyle(a).clipPath !== 'none') return true;
      return false;
    };
    const describe = (el) => `<${el.localName}${el.className ? `.${String(el.className).trim().replace(/\s+/g, '.')}` : ''}> "${el.textContent.trim().slice(0, 30)}"`;
    // Line boxes a piece of text occupies: the distinct vertical positions of its fragments.
    const lines = (el) => {
      const r = document.createRange();
      r.selectNodeContents(el);
      const tops = [...r.getClientRects()].filter((x) => x.width > 0.5).map((x) => x.top + x.height / 2).sort((a, b) => a - b);
      const lh = parseFloat(getComputedStyle(el).fontSize) * 0.6;
      return tops.filter((t, i) => i === 0 || t - tops[i - 1] > lh).length;
    };
    // Closed <details> (chart data tables) are opened while measuring, then closed again.
    const closed = [...document.querySelectorAll('details:not([open])')];
    for (const d of closed) d.open = true;
    const units = [...document.querySelectorAll(unbreakable)].filter((el) => shown(el) && !clipped(el));
    const split = units.filter((el) => lines(el) > 1).map((el) => `${describe(el)} on ${lines(el)} lines`);
    const narrowCells = [...document.querySelectorAll('td, th')].filter((el) => shown(el) && !clipped(el) && el.textContent.trim())
      .flatMap((el) => {
        const cs = getComputedStyle(el);
        const box = el.getBoundingClientRect().width - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)
          - parseFloat(cs.borderLeftWidth) - parseFloat(cs.borderRightWidth);
        const need = minCellEm * parseFloat(cs.fontSize);
        return box + 0.5 < need ? [`${describe(el)}: ${box.toFixed(1)}px wide, needs ${need}px`] : [];
      });
    // A table that scrolls sideways keeps its first column in view and shows that it scrolls.
    const scrollTables = [...document.querySelectorAll('.table-scroll')].filter((el) => shown(el) && el.scrollWidth > el.clientWidth + 1)
      .flatMap((el) => {
        const first = el.querySelector('tbody tr > :first-child');
        const problems = [];
        if (first && getComputedStyle(first).position !== 'sticky') problems.push(`${describe(first)}: first column scrolls away`);
        if (!/gradient/.test(getComputedStyle(el).backgroundImage)) problems.push(`${describe(el)}: no scroll shadow`);
        return problems;
      });
    for (const d of closed) d.open = false;
    // A footnote mark stays on the line of the text it marks: it never starts a line alone.
    const orphanMarks = [...document.querySelectorAll('sup.footnote-reference')].filter(shown)
      .flatMap((sup) => {
        let prev = sup.previousSibling;
        while (prev && prev.nodeType === Node.TEXT_NODE && !prev.data.replace(/[\u2060\s]/g, '')) prev = prev.previousSibling;
        if (!prev) return [];
        const r = document.createRange();
        if (prev.nodeType === Node.TEXT_NODE) {
          const text = prev.data.replace(/[\u2060\s]+$/, '');
          r.setStart(prev, text.length - 1);
          r.setEnd(prev, text.length);
        } else {
          r.selectNodeContents(prev);
        }
        const rects = [...r.getClientRects()].filter((x) => x.width > 0.5);
        if (!rects.length) return [];
        const before = rects[rects.length - 1];
        const mark = sup.getBoundingClientRect();
        return mark.top >= before.bottom - 1
          ? [`footnote mark ${sup.textContent.trim()} starts a line, apart from "${r.toString().slice(-8)}"`] : [];
      });
    // Spacing between Han and Latin letters or digits comes from text-autospace, never typed;
    // English text shows typographic quotes and apostrophes (“ ” ‘ ’), never typed straight
    // ones: burnrate does not guess them (see README, Decisions). One walk over the text.
    const typedSpaces = [];
    const straightQuotes = [];
    const english = de.lang.startsWith('en');
    const straight = /.{0,12}["'].{0,12}/s;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement.closest('pre, code, script, style')) continue;
      const where = `<${n.parentElement.localName}>`;
      const hit = n.data.match(/\p{Script=Han} [A-Za-z0-9]|[A-Za-z0-9] \p{Script=Han}/u);
      if (hit) typedSpaces.push(`"${hit[0]}" in ${where}`);
      const quote = english && n.data.match(straight);
      if (quote) straightQuotes.push(`"${quote[0].trim()}" in ${where}`);
    }
    if (english) {
      for (const el of document.body.querySelectorAll('[title], [alt], [aria-label]')) {
        for (const name of ['title', 'alt', 'aria-label']) {
          const hit = (el.getAttribute(name) || '').match(straight);
          if (hit) straightQuotes.push(`"${hit[0].trim()}" in <${el.localName}> ${name}`);
        }
      }
    }
    const charts = [...document.querySelectorAll('figure.chart')].map((fig) => {
      // The chart is drawn into the page twice (wide and narrow); the one shown is measured.
      const img = [...fig.querySelectorAll('.chart-drawing > svg')]
        .find((s) => getComputedStyle(s.parentElement).display !== 'none');
      if (!img) return { id: fig.id, error: 'figure.chart shows no inline <svg>' };
      const r = img.getBoundingClientRect();
      const vb = img.viewBox.baseVal;
      const col = fig.parentElement;
      const cs = getComputedStyle(col);
      const column = col.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      const st = getComputedStyle(img);
      return {
        id: fig.id,
        src: `${fig.id} ${img.getAttribute('aria-labelledby').split(' ')[0]}`,
        complete: true,
        naturalWidth: vb ? vb.width : 0,
        naturalHeight: vb ? vb.height : 0,
        width: Math.round(r.width),
        height: Math.round(r.height),
        left: Math.round(r.left),
        right: Math.round(r.right),
        column: Math.round(column),
        hidden: st.display === 'none' || st.visibility !== 'visible' || Number(st.opacity) === 0,
        minWidth: Math.min(minW, Math.floor(column * 0.9)),
        minHeight: minH,
      };
    });
    return {
      title: document.title,
      lang: de.lang,
      scrollWidth: Math.max(de.scrollWidth, document.body ? document.body.scrollWidth : 0),
      innerWidth: window.innerWidth,
      clientWidth: de.clientWidth,
      // Data blocks are never run; everything else counts (see DATA_BLOCK above).
      scripts: [...document.querySelectorAll('script')].filter((el) => el.getAttribute('type') !== 'application/ld+json' || el.hasAttribute('src')).length,
      handlers: [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes]
        .filter((a) => /^on/i.test(a.name)).map((a) => `<${el.localName} ${a.name}>`)),
      jsUrls: [...document.querySelectorAll('[href], [src], [action], [formaction]')]
        .filter((el) => ['href', 'src', 'action', 'formaction'].some((n) => /^\s*javascript:/i.test(el.getAttribute(n) || '')))
        .map((el) => `<${el.localName}>`),
      units: units.length,
      split,
      marks: document.querySelectorAll('sup.footnote-reference').length,
      orphanMarks,
      cells: document.querySelectorAll('td, th').length,
      narrowCells,
      scrollTables,
      typedSpaces,
      straightQuotes,
      brokenImages: [...document.images].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.currentSrc || i.src),
      charts,
    };
  }, { minW: MIN_CHART_WIDTH, minH: MIN_CHART_HEIGHT, unbreakable: UNBREAKABLE, minCellEm: MIN_CELL_EM }).catch((e) => ({ error: e.message }));

  if (m.error) problems.push(`measuring failed: ${m.error}`);
  else {
    if (status && status >= 400 && p.file !== '404.html') problems.push(`page answered HTTP ${status}`);
    if (m.scripts > 0) problems.push(`${m.scripts} <script> element(s) in the DOM`);
    for (const h of m.handlers) problems.push(`inline event handler ${h}`);
    for (const j of m.jsUrls) problems.push(`javascript: URL on ${j}`);
    if (m.scrollWidth > width) problems.push(`horizontal overflow: content is ${m.scrollWidth}px wide in a ${width}px viewport`);
    if (m.innerWidth !== width) notes.push(`innerWidth ${m.innerWidth} != viewport ${width}`);
    if (!m.lang) problems.push('<html> has no lang');
    for (const src of m.brokenImages) problems.push(`image did not load: ${src}`);
    for (const c of m.charts) {
      if (c.error) { problems.push(`chart #${c.id}: ${c.error}`); continue; }
      const where = `chart #${c.id} (${c.src.replace(/^.*\//, '')})`;
      if (!c.complete || c.naturalWidth === 0) problems.push(`${where}: image not decoded (naturalWidth ${c.naturalWidth})`);
      if (c.hidden) problems.push(`${where}: not visible (display/visibility/opacity)`);
      if (c.width < c.minWidth) problems.push(`${where}: rendered ${c.width}px wide, needs >= ${c.minWidth}px (column ${c.column}px)`);
      if (c.height < c.minHeight) problems.push(`${where}: rendered ${c.height}px high, needs >= ${c.minHeight}px`);
      if (c.left < -1 || c.right > width + 1) problems.push(`${where}: sticks out of the viewport (${c.left}..${c.right})`);
    }
  }

  const requests = [...wire.values()];
  const bytes = requests.reduce((a, r) => a + (r.bytes || 0), 0);
  let shot = null;
  if (SCREENSHOT_WIDTHS.has(width)) {
    shot = path.join(SHOTS, `${p.name}-${width}.png`);
    await page.screenshot({ path: shot, fullPage: true }).catch((e) => problems.push(`screenshot: ${e.message}`));
  }
  await cdp.detach().catch(() => {});
  await page.close();
  return { page: p.label, file: p.file, width, status, bytes, requests, shot, problems, notes, ...m };
}

// One axe-core run. axe is injected from node_modules, so this context has JavaScript on;
// the site's pages contain no script of their own (checked above), so nothing else runs.
async function runAxe(ctx, p, tags) {
  const page = await ctx.newPage();
  const external = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol !== 'data:' && u.host !== ORIGIN_HOST) external.push(r.url());
  });
  await page.goto(p.url, { waitUntil: 'load', timeout: 30_000 });
  await page.addScriptTag({ content: AXE_SOURCE });
  const r = await page.evaluate(async (runTags) => {
    // eslint-disable-next-line no-undef
    const res = await axe.run(document, { runOnly: { type: 'tag', values: runTags }, resultTypes: ['violations'] });
    return {
      violations: res.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, tags: v.tags,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary, html: n.html.slice(0, 200) })),
      })),
      incomplete: res.incomplete.map((v) => ({ id: v.id, nodes: v.nodes.length })),
    };
  }, tags);
  await page.close();
  const problems = [];
  for (const v of r.violations) {
    for (const n of v.nodes) problems.push(`${v.id} (${v.impact}): ${v.help} :: ${n.target}`);
  }
  for (const u of external) problems.push(`request to another host: ${u}`);
  return { ...r, problems };
}

// Typography and tables over every page at one width: one line per check.
function reportLayout(width) {
  const views = results.views.filter((v) => v.width === width && !v.error);
  const all = (key) => views.flatMap((v) => (v[key] || []).map((x) => `${v.page}: ${x}`));
  const count = (key) => views.reduce((a, v) => a + (v[key] || 0), 0);
  report(`figures-unbroken @${width}`, all('split'),
    `${count('units')} figures, dates and metric names on ${views.length} pages, each on one line`);
  report(`footnote-marks @${width}`, all('orphanMarks'),
    `${count('marks')} footnote marks on ${views.length} pages, each on the line of the text it marks`);
  report(`table-cells @${width}`, all('narrowCells'),
    `${count('cells')} cells, none narrower than ${MIN_CELL_EM} characters`);
  report(`scroll-tables @${width}`, all('scrollTables'),
    'tables wider than the screen keep their first column in view and cast a scroll shadow');
  if (width === 390) report('autospace', all('typedSpaces'), 'no space typed between Han and Latin letters or digits');
  if (width === 390) report('curly-quotes', all('straightQuotes'), 'English text has typographic quotes and apostrophes, no straight ones');
}

try {
  // ---- 2. page checks (JS off) and axe (separate JS-on context), per width ------------------
  for (const width of [...WIDTHS, ...EMBED_WIDTHS]) await phase(`${width} px`, async (browser) => {
    const noJs = await browser.newContext(contextOptions(width, { javaScriptEnabled: false }));
    const withJs = await browser.newContext(contextOptions(width, { javaScriptEnabled: true }));
    for (const p of WIDTHS.includes(width) ? pages : pages.filter(isEmbed)) {
      const v = await loadWithoutScripts(noJs, p, width);
      results.views.push(v);
      const nCharts = (v.charts || []).length;
      const chartSizes = (v.charts || []).map((c) => `${c.width}x${c.height}`).join(',');
      report(`browser ${p.label} @${width}`, v.problems,
        `no JS; HTTP ${v.status}; ${v.requests.length} requests ${kb(v.bytes)}; width ${v.scrollWidth}/${width}; ${nCharts} chart(s)${nCharts ? ` ${chartSizes}` : ''}`);

      const a = await runAxe(withJs, p, AXE_TAGS);
      results.axe.push({ page: p.label, width, scheme: 'light', ...a });
      report(`axe ${p.label} @${width}`, a.problems, `axe ${AXE_VERSION} ${AXE_TAGS.join(',')}: ${a.violations.length} rule(s) violated`);
    }
    await noJs.close();
    await withJs.close();
    reportLayout(width);
  });

  // ---- 3. page weight: the largest load over all widths (narrow and wide charts differ) ------
  for (const p of pages) {
    const views = results.views.filter((v) => v.file === p.file);
    if (!views.length) continue; // its phase failed, and said so
    const worst = views.reduce((a, v) => (v.bytes > a.bytes ? v : a), views[0]);
    const budget = BUDGET[p.kind];
    const per = views.map((v) => `${v.width}:${kb(v.bytes)}`).join(' ');
    const problems = [];
    if (views.some((v) => v.problems.some((x) => x.startsWith('navigation')))) problems.push('page did not load; weight unknown');
    if (budget && worst.bytes >= budget) {
      const biggest = [...worst.requests].sort((x, y) => y.bytes - x.bytes).slice(0, 4)
        .map((r) => `${r.url === p.url ? 'the page' : r.url.replace(BASE, '')} ${kb(r.bytes)}`).join(', ');
      problems.push(`${kb(worst.bytes)} transferred at ${worst.width}px, budget < ${kb(budget)} (largest: ${biggest})`);
    }
    if (budget) report(`weight ${p.label}`, problems, `${per} (budget < ${kb(budget)})`);
    else console.log(`     weight ${p.label}  ${per} (no budget for this kind of page)`);
  }

  // ---- 4. dark colour scheme at 390 px: axe (all WCAG rules, colour contrast among them) -----
  await phase('dark scheme', async (browser) => {
    const dark = await browser.newContext(contextOptions(390, { colorScheme: 'dark', javaScriptEnabled: true }));
    const darkNoJs = await browser.newContext(contextOptions(390, { colorScheme: 'dark', javaScriptEnabled: false }));
    const darkWide = await browser.newContext(contextOptions(1280, { colorScheme: 'dark', javaScriptEnabled: false }));
    for (const p of pages) {
      const a = await runAxe(dark, p, AXE_TAGS);
      const page = await darkNoJs.newPage();
      await page.goto(p.url, { waitUntil: 'load', timeout: 30_000 });
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const shot = path.join(SHOTS, `${p.name}-390-dark.png`);
      await page.screenshot({ path: shot, fullPage: true }).catch((e) => a.problems.push(`screenshot: ${e.message}`));
      await page.close();
      // The dark scheme on a desktop too, for people to look at (axe runs at 390 px only).
      const wide = await darkWide.newPage();
      await wide.goto(p.url, { waitUntil: 'load', timeout: 30_000 });
      await wide.screenshot({ path: path.join(SHOTS, `${p.name}-1280-dark.png`), fullPage: true })
        .catch((e) => a.problems.push(`screenshot 1280: ${e.message}`));
      await wide.close();
      results.dark.push({ page: p.label, width: 390, scheme: 'dark', body: bg, shot, ...a });
      report(`axe-dark ${p.label} @390`, a.problems, `prefers-color-scheme: dark, body ${bg}; ${a.violations.length} rule(s) violated`);
    }
    await dark.close();
    await darkNoJs.close();
    await darkWide.close();
  });
} catch (e) {
  console.log(`FAIL browser harness  ${e.stack || e}`);
  failed++;
} finally {
  fs.writeFileSync(path.join(ART, 'browser.json'), JSON.stringify(results, null, 2));
}
console.log(`(browser.mjs: ${passed} ok, ${failed} FAIL; ${pages.length} pages x ${WIDTHS.length} widths + dark)`);
process.exit(failed ? 1 : 0);
