#!/usr/bin/env node
// Lighthouse (pinned in package.json) against the served site, one run at a time, each in a
// fresh Chromium profile: the home page, /sections/anthropic/ and /companies/openai/ (or the
// space-separated pages of E2E_LH_PAGES), mobile and desktop. Each run is one
// check: performance, accessibility, best-practices and SEO must each score >= 0.95,
// and no request may leave the local server. Reports (JSON + HTML) go to
// ARTIFACTS_DIR/lighthouse/.
//
//   node lighthouse.mjs BASE_URL SITE_DIR ARTIFACTS_DIR
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const [BASE, SITE, ART] = process.argv.slice(2);
if (!BASE || !SITE || !ART) { console.error('usage: node lighthouse.mjs BASE_URL SITE_DIR ARTIFACTS_DIR'); process.exit(2); }
const LH_CLI = path.join(path.dirname(require.resolve('lighthouse/package.json')), 'cli', 'index.js');
const LH_VERSION = require('lighthouse/package.json').version;
const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
const FLAGS = '--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run '
  + '--disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage';
// Pages relative to BASE_URL; "" (or "/" or "index" in E2E_LH_PAGES) is the home page.
const PAGES = [...new Set((process.env.E2E_LH_PAGES ?? '/ sections/anthropic/ companies/openai/')
  .split(/\s+/).filter(Boolean).map((s) => (s === '/' || s === 'index' || s === 'index.html' ? '' : s.replace(/^\//, ''))))];
const FORMS = ['mobile', 'desktop'];
const MIN = 0.95;
const CATS = ['performance', 'accessibility', 'best-practices', 'seo'];
const host = new URL(BASE).host;
const OUT = path.join(ART, 'lighthouse');
fs.mkdirSync(OUT, { recursive: true });

let failed = 0;
for (const p of PAGES) {
  const file = p === '' ? 'index.html' : p.endsWith('/') ? `${p}index.html` : p;
  for (const form of FORMS) {
    const name = `${p === '' ? 'home' : p.replace(/\/$/, '').replace(/\//g, '-')}-${form}`;
    const label = `lighthouse /${p} ${form}`;
    const problems = [];
    let details = '';
    if (!fs.existsSync(path.join(SITE, file))) {
      problems.push(`${file} is not in the built site (set E2E_LH_PAGES to pages that exist)`);
    } else {
      const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-lh-profile.'));
      const args = [LH_CLI, new URL(p, BASE).href, '--quiet', `--chrome-flags=${FLAGS} --user-data-dir=${profile}`,
        `--only-categories=${CATS.join(',')}`, '--output=json', '--output=html', `--output-path=${path.join(OUT, name)}`];
      if (form === 'desktop') args.push('--preset=desktop');
      const t0 = Date.now();
      const run = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, CHROME_PATH: CHROMIUM }, timeout: 180_000 });
      fs.rmSync(profile, { recursive: true, force: true });
      fs.writeFileSync(path.join(OUT, `${name}.log`), `${run.stdout || ''}${run.stderr || ''}`);
      const json = path.join(OUT, `${name}.report.json`);
      if (run.status !== 0 || !fs.existsSync(json)) {
        problems.push(`lighthouse exited ${run.status ?? run.signal}${run.error ? ` (${run.error.message})` : ''}: ${(run.stderr || '').trim().split('\n').slice(-3).join(' | ')}`);
      } else {
        const r = JSON.parse(fs.readFileSync(json, 'utf8'));
        if (r.runtimeError) problems.push(`runtime error ${r.runtimeError.code}: ${r.runtimeError.message}`);
        for (const w of r.runWarnings || []) console.log(`       note: ${w.replace(/\s+/g, ' ').slice(0, 200)}`);
        const scores = CATS.map((c) => [c, r.categories[c]?.score]);
        details = `${scores.map(([c, s]) => `${c} ${s == null ? '-' : Math.round(s * 100)}`).join(', ')} (min ${Math.round(MIN * 100)}; ${((Date.now() - t0) / 1000).toFixed(0)} s)`;
        for (const [c, s] of scores) {
          if (s == null || s < MIN) {
            const weak = r.categories[c].auditRefs
              .filter((a) => a.weight > 0 && r.audits[a.id]?.score != null && r.audits[a.id].score < 1)
              .map((a) => `${a.id}=${r.audits[a.id].score}${r.audits[a.id].displayValue ? ` (${r.audits[a.id].displayValue})` : ''}`);
            problems.push(`${c} ${s == null ? 'not scored' : Math.round(s * 100)} < ${Math.round(MIN * 100)}: ${weak.join(', ') || 'see report'}`);
          }
        }
        const items = r.audits['network-requests']?.details?.items || [];
        for (const it of items) {
          const u = new URL(it.url);
          if (/^https?:$/.test(u.protocol) && u.host !== host) problems.push(`request to another host: ${it.url}`);
        }
      }
    }
    if (problems.length) {
      failed++;
      console.log(`FAIL ${label}  lighthouse ${LH_VERSION} ${details}`.trimEnd());
      for (const pr of problems) console.log(`       - ${pr}`);
    } else {
      console.log(`ok   ${label}  lighthouse ${LH_VERSION} ${details}`);
    }
  }
}
process.exit(failed ? 1 : 0);
