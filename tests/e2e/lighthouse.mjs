#!/usr/bin/env node
// Lighthouse (pinned in package.json) against the served site, one run at a time, each in a
// fresh Chromium profile: the home page, /sections/anthropic/ and /companies/openai/ of each
// edition (the Chinese at the root, the English under en/), or the space-separated pages of
// E2E_LH_PAGES), mobile and desktop. Each run is one
// check: performance, accessibility, best-practices and SEO must each score >= 0.95,
// and no request may leave the local server. Reports (JSON + HTML) go to
// ARTIFACTS_DIR/lighthouse/.
//
// A run that hangs or crashes does not take the rest down: each Lighthouse runs in its own
// process group (with the Chromium it starts), which is killed whole after RUN_TIMEOUT_MS; a run
// that produced no report is tried once more, and every page gets its own ok/FAIL line.
//
//   node lighthouse.mjs BASE_URL SITE_DIR ARTIFACTS_DIR
import { spawn } from 'node:child_process';
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
const PAGES = [...new Set((process.env.E2E_LH_PAGES ?? '/ sections/anthropic/ companies/openai/ en/ en/sections/anthropic/ en/companies/openai/')
  .split(/\s+/).filter(Boolean).map((s) => (s === '/' || s === 'index' || s === 'index.html' ? '' : s.replace(/^\//, ''))))];
const FORMS = ['mobile', 'desktop'];
const MIN = 0.95;
const CATS = ['performance', 'accessibility', 'best-practices', 'seo'];
const host = new URL(BASE).host;
const RUN_TIMEOUT_MS = 180_000;
const TRIES = 2;
const OUT = path.join(ART, 'lighthouse');

// One Lighthouse process in a process group of its own; resolves with its status, signal and
// output. On timeout the whole group (Lighthouse and its Chromium) is killed, so nothing is left
// holding the port or the profile.
function runLighthouse(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, CHROME_PATH: CHROMIUM }, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '', stderr = '', timedOut = false;
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const killGroup = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ } };
    const timer = setTimeout(() => { timedOut = true; killGroup(); }, RUN_TIMEOUT_MS);
    child.on('error', (error) => { clearTimeout(timer); resolve({ status: null, signal: null, stdout, stderr, error }); });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      // Chromium may outlive a crashed Lighthouse: end the group in every case.
      killGroup();
      resolve({ status, signal, stdout, stderr, error: timedOut ? new Error(`timed out after ${RUN_TIMEOUT_MS / 1000} s`) : null });
    });
  });
}
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
      const json = path.join(OUT, `${name}.report.json`);
      const t0 = Date.now();
      let run;
      for (let attempt = 1; attempt <= TRIES; attempt++) {
        fs.rmSync(json, { force: true });
        const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-lh-profile.'));
        const args = [LH_CLI, new URL(p, BASE).href, '--quiet', `--chrome-flags=${FLAGS} --user-data-dir=${profile}`,
          `--only-categories=${CATS.join(',')}`, '--output=json', '--output=html', `--output-path=${path.join(OUT, name)}`];
        if (form === 'desktop') args.push('--preset=desktop');
        run = await runLighthouse(args);
        fs.rmSync(profile, { recursive: true, force: true });
        fs.writeFileSync(path.join(OUT, `${name}.log`), `${run.stdout}${run.stderr}`);
        if (run.status === 0 && fs.existsSync(json)) break;
        if (attempt < TRIES) console.log(`       note: ${label} attempt ${attempt} failed (${run.error?.message ?? `exit ${run.status ?? run.signal}`}); trying again`);
      }
      if (run.status !== 0 || !fs.existsSync(json)) {
        problems.push(`lighthouse exited ${run.status ?? run.signal}${run.error ? ` (${run.error.message})` : ''} in ${TRIES} tries: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
      } else {
        let r;
        try { r = JSON.parse(fs.readFileSync(json, 'utf8')); } catch (e) { r = { runtimeError: { code: 'BAD_REPORT', message: e.message }, categories: {} }; }
        if (r.runtimeError) problems.push(`runtime error ${r.runtimeError.code}: ${r.runtimeError.message}`);
        for (const w of r.runWarnings || []) console.log(`       note: ${w.replace(/\s+/g, ' ').slice(0, 200)}`);
        const scores = CATS.map((c) => [c, r.categories[c]?.score]);
        details = `${scores.map(([c, s]) => `${c} ${s == null ? '-' : Math.round(s * 100)}`).join(', ')} (min ${Math.round(MIN * 100)}; ${((Date.now() - t0) / 1000).toFixed(0)} s)`;
        for (const [c, s] of scores) {
          if (s == null || s < MIN) {
            const weak = (r.categories[c]?.auditRefs || [])
              .filter((a) => a.weight > 0 && r.audits?.[a.id]?.score != null && r.audits[a.id].score < 1)
              .map((a) => `${a.id}=${r.audits[a.id].score}${r.audits[a.id].displayValue ? ` (${r.audits[a.id].displayValue})` : ''}`);
            problems.push(`${c} ${s == null ? 'not scored' : Math.round(s * 100)} < ${Math.round(MIN * 100)}: ${weak.join(', ') || 'see report'}`);
          }
        }
        const items = r.audits?.['network-requests']?.details?.items || [];
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
