#!/usr/bin/env node
// Prints the sizes of the built page (dist/) and checks the budgets of issue 5:
//   the wasm module             at most 400 KB gzipped
//   all JavaScript + wasm       at most 800 KB gzipped (the sum of each file's gzip -9 size)
// KB = 1024 bytes. Sizes come from `gzip -9` itself when it is on PATH, else from zlib at level 9
// (GNU gzip's deflate differs from zlib's by a fraction of a percent).
// Exits 1 when a budget is exceeded.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.resolve(HERE, '..', process.argv[2] ?? 'dist');
const KB = 1024;
const BUDGET_WASM = 400 * KB;
const BUDGET_TOTAL = 800 * KB;

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

if (!fs.existsSync(DIST)) {
  console.error(`size: ${DIST} does not exist; run npm run build first`);
  process.exit(1);
}

const hasGzip = spawnSync('gzip', ['--version']).status === 0;
function gzipSize(bytes) {
  if (hasGzip) {
    const r = spawnSync('gzip', ['-9', '-c', '-n'], { input: bytes, maxBuffer: 1 << 30 });
    if (r.status === 0) return r.stdout.length;
  }
  return zlib.gzipSync(bytes, { level: 9 }).length;
}

const kb = (n) => `${(n / KB).toFixed(1)} KB`;
const rows = walk(DIST)
  .sort()
  .map((file) => {
    const bytes = fs.readFileSync(file);
    return {
      file: path.relative(DIST, file),
      ext: path.extname(file),
      raw: bytes.length,
      gzip: gzipSize(bytes),
    };
  });

const width = Math.max(...rows.map((r) => r.file.length));
console.log(`\nsizes of ${path.relative(process.cwd(), DIST) || '.'} (${hasGzip ? 'gzip -9' : 'zlib level 9'})`);
for (const r of rows) console.log(`  ${r.file.padEnd(width)}  ${kb(r.raw).padStart(10)} raw  ${kb(r.gzip).padStart(9)} gzip`);

const wasm = rows.filter((r) => r.ext === '.wasm').reduce((s, r) => s + r.gzip, 0);
const total = rows.filter((r) => r.ext === '.wasm' || r.ext === '.js').reduce((s, r) => s + r.gzip, 0);
const all = rows.reduce((s, r) => s + r.gzip, 0);
const checks = [
  ['wasm', wasm, BUDGET_WASM],
  ['JS + wasm', total, BUDGET_TOTAL],
];
let failed = false;
for (const [what, size, budget] of checks) {
  const ok = size <= budget;
  failed ||= !ok;
  console.log(`  ${ok ? 'ok  ' : 'OVER'} ${what}: ${kb(size)} gzipped (budget ${kb(budget)})`);
}
console.log(`       everything (HTML, CSS too): ${kb(all)} gzipped`);
if (!rows.some((r) => r.ext === '.wasm')) {
  console.error('size: no .wasm in the build');
  failed = true;
}
process.exit(failed ? 1 : 0);
