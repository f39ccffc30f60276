#!/usr/bin/env node
// Nu Html Checker (vnu-jar from npm, run on the machine's Java) over every .html, .svg and
// .css file of the built site: one check line per file, any error fails it. Warnings are kept
// in the report (ARTIFACTS_DIR/vnu.json) but do not fail.
//
//   node vnu.mjs SITE_DIR ARTIFACTS_DIR
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const [SITE, ART] = process.argv.slice(2);
if (!SITE || !ART) { console.error('usage: node vnu.mjs SITE_DIR ARTIFACTS_DIR'); process.exit(2); }
const JAR = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');
if (!fs.existsSync(JAR)) { console.log(`FAIL vnu  ${JAR} is missing (run tests/e2e/install.sh)`); process.exit(1); }

function files(dir, rel = '') {
  const out = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...files(dir, r));
    else if (e.isFile() && /\.(html?|svg|css)$/i.test(e.name)) out.push(r);
  }
  return out.sort();
}
const list = files(SITE);
if (!list.length) { console.log(`FAIL vnu  no .html/.svg/.css files under ${SITE}`); process.exit(1); }

const run = spawnSync('java', ['-Xss8m', '-jar', JAR, '--format', 'json', '--stdout', '--also-check-css', '--also-check-svg',
  ...list.map((f) => path.join(SITE, f))], { encoding: 'utf8', maxBuffer: 64 << 20 });
if (run.error || run.stdout === '') {
  console.log(`FAIL vnu  java -jar vnu.jar did not run: ${run.error ? run.error.message : (run.stderr || '').trim().slice(0, 300)}`);
  process.exit(1);
}
let messages;
try {
  messages = JSON.parse(run.stdout).messages;
} catch (e) {
  console.log(`FAIL vnu  unreadable vnu output: ${e.message}: ${run.stdout.slice(0, 300)}`);
  process.exit(1);
}
const version = spawnSync('java', ['-jar', JAR, '--version'], { encoding: 'utf8' }).stdout.trim();
fs.writeFileSync(path.join(ART, 'vnu.json'), JSON.stringify({ version, files: list, messages }, null, 2));

const rel = (u) => (u ? path.relative(SITE, u.startsWith('file:') ? fileURLToPath(u) : u) : '?');
const byFile = new Map(list.map((f) => [f, []]));
for (const m of messages) {
  const f = rel(m.url);
  if (!byFile.has(f)) byFile.set(f, []);
  byFile.get(f).push(m);
}
let failed = 0;
for (const [f, ms] of byFile) {
  const errors = ms.filter((m) => m.type === 'error' || m.type === 'non-document-error');
  const warnings = ms.filter((m) => m.type === 'info' && m.subType === 'warning');
  const line = `vnu ${f}  Nu Html Checker ${version}: ${errors.length} error(s), ${warnings.length} warning(s)`;
  if (errors.length) {
    failed++;
    console.log(`FAIL ${line}`);
    for (const m of errors.slice(0, 10)) {
      console.log(`       - ${m.lastLine ? `line ${m.lastLine}:${m.firstColumn ?? m.lastColumn}: ` : ''}${m.message}${m.extract ? ` :: ${m.extract.replace(/\s+/g, ' ').trim().slice(0, 120)}` : ''}`);
    }
  } else {
    console.log(`ok   ${line}`);
  }
}
process.exit(failed ? 1 : 0);
