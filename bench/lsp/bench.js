'use strict';
// Language server benchmark: prints figures, asserts nothing. Run through ./bench/lsp/run, which
// builds the release binary and points WARD_BIN at it.
//
//  1. Latency from sending a didChange to receiving the publishDiagnostics for that version, on a
//     generated 1,000-resource YAML template; each edit flips one DynamoDB table's SSEEnabled.
//     Edits are sequential (the next is sent when the previous version's diagnostics arrived).
//     Also: a burst of edits sent back to back, as when typing, until the last version's result.
//  2. Memory: 100 different generated templates of 100 resources open at once; the server's
//     VmRSS and VmHWM (/proc/<pid>/status) once every one of them has its diagnostics.
//
// Environment: WARD_BIN (the server), BENCH_EDITS (default 100), BENCH_RESOURCES (default 1000),
// BENCH_TEMPLATES (default 100), BENCH_TEMPLATE_RESOURCES (default 100).

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { Client, wardBin } = require('../../tests/lsp-clients/lib/client');
const { generateYaml } = require('./generate');

const EDITS = Number(process.env.BENCH_EDITS || 100);
const RESOURCES = Number(process.env.BENCH_RESOURCES || 1000);
const TEMPLATES = Number(process.env.BENCH_TEMPLATES || 100);
const TEMPLATE_RESOURCES = Number(process.env.BENCH_TEMPLATE_RESOURCES || 100);
const WARMUP = 5;

const ms = (x) => `${x.toFixed(2)} ms`;
const mib = (kib) => `${(kib / 1024).toFixed(1)} MiB`;

function percentile(sorted, p) {
  // Nearest-rank percentile.
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1], min: sorted[0], mean };
}

async function latency(dir, { label = 'all rules', settings = {}, burst = true } = {}) {
  const { text, tables } = generateYaml(RESOURCES, 0);
  const c = new Client({ rootDir: dir, settings });
  try {
    await c.initialize();
    const t0 = performance.now();
    const doc = await c.open('big.yaml', text);
    const first = await c.waitForPublish(doc.uri, { version: 1, timeout: 60000 });
    const openMs = first.at - t0;
    const ddb001 = first.diagnostics.filter((d) => d.code === 'DDB001').length;
    const bytes = Buffer.byteLength(JSON.stringify(first.diagnostics));
    console.log(
      `latency [${label}]: ${RESOURCES}-resource YAML template (${(text.length / 1024).toFixed(0)} KiB, ${text.split('\n').length} lines): ` +
        `${first.diagnostics.length} diagnostics (${ddb001} DDB001, ${(bytes / 1024).toFixed(0)} KiB of JSON); didOpen → first publish ${ms(openMs)}`,
    );

    // Each edit flips one table's SSEEnabled (true <-> false) in place; tables are used in turn.
    const values = new Map(tables.map((t) => [t.line, doc.text.split('\n')[t.line].slice(20)]));
    const flip = async (i) => {
      const { line } = tables[i % tables.length];
      const old = values.get(line);
      const next = old === 'true' ? 'false' : 'true';
      values.set(line, next);
      return c.edit(doc, [{ range: { start: { line, character: 20 }, end: { line, character: 20 + old.length } }, newText: next }]);
    };

    // The first bytes the server writes after an edit mark the end of its work; the rest is the
    // transfer and the client's JSON parsing of the message.
    let firstByte = null;
    c.proc.stdout.on('data', () => {
      if (firstByte === null) firstByte = performance.now();
    });
    const samples = [];
    const serverSide = [];
    let wrong = 0;
    for (let i = 0; i < WARMUP + EDITS; i++) {
      const seq = c.publishes.length;
      const sent = performance.now();
      firstByte = null;
      const version = await flip(i);
      const published = await c.waitForPublish(doc.uri, { version, after: seq, timeout: 30000 });
      if (i >= WARMUP) {
        samples.push(published.at - sent);
        serverSide.push(firstByte - sent);
      }
      const expected = [...values.values()].filter((v) => v === 'false').length;
      if (published.diagnostics.filter((d) => d.code === 'DDB001').length !== expected) wrong++;
    }
    const s = summary(samples);
    console.log(
      `latency [${label}]: didChange → publishDiagnostics, ${s.n} sequential one-value edits (after ${WARMUP} warm-up): ` +
        `p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, max ${ms(s.max)} (min ${ms(s.min)}, mean ${ms(s.mean)})` +
        (wrong ? `  [${wrong} publishes had an unexpected DDB001 count]` : ''),
    );
    const f = summary(serverSide);
    console.log(
      `latency [${label}]:   of which until the server's first byte: p50 ${ms(f.p50)}, p95 ${ms(f.p95)}, max ${ms(f.max)}`,
    );

    if (!burst) return s;
    // A burst: edits sent back to back without waiting, then the time until the last version's result.
    const burstEdits = 50;
    const seq = c.publishes.length;
    const sent = performance.now();
    let version;
    for (let i = 0; i < burstEdits; i++) version = await flip(WARMUP + EDITS + i);
    const last = await c.waitForPublish(doc.uri, { version, after: seq, timeout: 60000 });
    const published = c.publishes.filter((p) => p.seq > seq && p.uri === doc.uri).length;
    console.log(
      `latency [${label}]: burst of ${burstEdits} edits sent back to back → publish for the last version ${ms(last.at - sent)} ` +
        `(${published} publishes for the ${burstEdits} versions; ${c.versionRegressions.length} out of order)`,
    );
    const mem = c.memory();
    console.log(`latency [${label}]: server VmRSS ${mib(mem.rssKiB)}, VmHWM ${mib(mem.hwmKiB)} with the ${RESOURCES}-resource template open`);
    return s;
  } finally {
    await c.dispose();
  }
}

async function memory(dir) {
  const c = new Client({ rootDir: dir });
  try {
    await c.initialize();
    const base = c.memory();
    let bytes = 0;
    const t0 = performance.now();
    const docs = [];
    for (let i = 0; i < TEMPLATES; i++) {
      const { text } = generateYaml(TEMPLATE_RESOURCES, i + 1);
      bytes += Buffer.byteLength(text);
      docs.push(await c.open(`template-${String(i).padStart(3, '0')}.yaml`, text));
    }
    const pending = new Set(docs.map((d) => d.uri));
    await c.waitFor(
      () => {
        for (const p of c.publishes) pending.delete(p.uri);
        return pending.size === 0;
      },
      { timeout: 120000, what: `diagnostics for all ${TEMPLATES} templates` },
    );
    const allMs = performance.now() - t0;
    // Let the allocator settle and read the figures.
    await new Promise((r) => setTimeout(r, 200).unref());
    const mem = c.memory();
    const diagnostics = docs.reduce((n, d) => n + c.latestPublish(d.uri).diagnostics.length, 0);
    console.log(
      `memory: ${TEMPLATES} templates × ${TEMPLATE_RESOURCES} resources open (${(bytes / 1024 / 1024).toFixed(1)} MiB of text, ` +
        `${diagnostics} diagnostics, all published ${ms(allMs)} after the first didOpen): ` +
        `VmRSS ${mib(mem.rssKiB)}, VmHWM ${mib(mem.hwmKiB)} (after initialize: VmRSS ${mib(base.rssKiB)})`,
    );
    return mem;
  } finally {
    await c.dispose();
  }
}

async function main() {
  const bin = wardBin();
  let version = '?';
  try {
    version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
  } catch {}
  console.log(`lsp bench: ${bin} (${version}); node ${process.version}; ${os.cpus().length} CPUs (${os.cpus()[0]?.model || '?'})`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ward-lsp-bench-'));
  try {
    const s = await latency(dir);
    // The same edits with one rule selected: the cost of parsing and linting without the
    // conversion and serialisation of ~800 diagnostics.
    await latency(dir, { label: 'only DDB001 selected', settings: { rules: { select: ['DDB001'] } }, burst: false });
    const mem = await memory(dir);
    console.log(
      `targets: p95 under 20 ms with all rules (${s.p95 < 20 ? 'met' : 'MISSED'}: ${ms(s.p95)}); ` +
        `memory under 200 MB with 100 templates open (${mem.hwmKiB * 1024 < 200e6 ? 'met' : 'MISSED'}: VmHWM ${(mem.hwmKiB * 1024 / 1e6).toFixed(1)} MB)`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err.stack || String(err));
  process.exit(1);
});
