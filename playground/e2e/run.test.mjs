// End-to-end test of the playground in Debian's Chromium, driven by playwright-core. See README.md.
//
//   npm run build && node --test --test-reporter=spec e2e/run.test.mjs      (or: npm run test:e2e)
//
// It serves dist/ on 127.0.0.1, loads the page, pastes the DynamoDB incident, counts its findings,
// hovers one, applies its quick fix, changes a setting, round-trips a share link, runs "Fix all",
// downloads the template, switches the theme, times one lint of a 1,000-resource template in the
// worker, and checks that the page made no request once it had started.
//
// Environment:
//   WARD_E2E_CHROMIUM   the browser (default: /usr/bin/chromium)
//   WARD_E2E_DIST       the built site (default: ../dist)
//   WARD_E2E_LINT_BUDGET_MS   when set, fail if one lint of 1,000 resources takes longer (the test
//                             always prints the figure against the 20 ms goal; timing is a
//                             benchmark's job, so a plain run does not fail on it)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const DIST = path.resolve(process.env.WARD_E2E_DIST ?? path.join(HERE, '..', 'dist'));
const CHROMIUM = process.env.WARD_E2E_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(HERE, 'artifacts');
const LINT_BUDGET_ENFORCED = process.env.WARD_E2E_LINT_BUDGET_MS !== undefined;
const LINT_BUDGET_MS = Number(process.env.WARD_E2E_LINT_BUDGET_MS ?? 20);
const TOTAL_TIMEOUT_MS = 150_000;
const STEP_TIMEOUT_MS = 20_000;
const T0 = Date.now();

// The same generator as the language server benchmark (bench/lsp): ten resource types, parameters,
// conditions, intrinsic functions.
const { generateYaml } = createRequire(import.meta.url)(path.join(ROOT, 'bench', 'lsp', 'generate.js'));

const INCIDENT = fs.readFileSync(path.join(ROOT, 'examples', 'dynamodb-incident.yaml'), 'utf8');
// What `cfn-ward check examples/dynamodb-incident.yaml` reports: rule and line:column.
const INCIDENT_FINDINGS = ['DDB002 28:7', 'DDB001 29:40', 'DDB001 33:5', 'DDB002 33:5'];

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const elapsed = () => `${((Date.now() - T0) / 1000).toFixed(1)}s`;
const log = (msg) => console.log(`[e2e ${elapsed()}] ${msg}`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// --- the run's state ---------------------------------------------------------------------------------

const S = {
  server: null,
  context: null,
  page: null,
  profile: null,
  /** Every request of every page: { page, url, phase } with phase boot | starting | started. */
  requests: [],
  consoleLines: [],
  errors: [],
  failed: false,
  shots: [],
};

/** Watches a page's requests, and the phase it is in: boot (before load), starting, started. */
function watch(page, name) {
  const state = { phase: 'boot' };
  page.on('load', () => {
    if (state.phase === 'boot') state.phase = 'starting';
  });
  page.on('request', (r) => S.requests.push({ page: name, url: r.url(), method: r.method(), phase: state.phase }));
  page.on('console', (m) => {
    S.consoleLines.push(`[${name}] ${m.type()}: ${m.text()}`);
    if (m.type() === 'error') S.errors.push(`[${name}] console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => S.errors.push(`[${name}] page error: ${e.message}`));
  return state;
}

async function shot(page, name) {
  const file = path.join(ARTIFACTS, name);
  await page.screenshot({ path: file });
  S.shots.push(file);
  log(`screenshot ${path.relative(process.cwd(), file)}`);
}

/** Runs one step; after a failed step the others are skipped (each builds on the last). */
function step(name, fn) {
  it(name, async (t) => {
    if (S.failed) return t.skip('an earlier step failed');
    try {
      await fn();
    } catch (e) {
      S.failed = true;
      if (S.page) await shot(S.page, 'failure.png').catch(() => {});
      throw e;
    }
  });
}

/** The findings panel's rows: "RULE line:col". */
async function findingRows(page) {
  return page.$$eval('#findings-list .finding[data-rule]', (rows) =>
    rows.map((r) => `${r.dataset.rule} ${r.querySelector('.pos')?.textContent ?? ''}`),
  );
}

async function waitForFindings(page, expected, what) {
  try {
    await page.waitForFunction(
      (want) =>
        JSON.stringify(
          [...document.querySelectorAll('#findings-list .finding[data-rule]')].map(
            (r) => `${r.dataset.rule} ${r.querySelector('.pos')?.textContent ?? ''}`,
          ),
        ) === JSON.stringify(want),
      expected,
      { timeout: STEP_TIMEOUT_MS },
    );
  } catch (e) {
    throw new Error(`${what}: expected findings ${JSON.stringify(expected)}, the panel shows ${JSON.stringify(await findingRows(page))} (${e.message})`);
  }
}

const editorText = (page) => page.evaluate(() => window.wardPlayground.view.state.doc.toString());

/** Replaces the editor's content the way a person pastes: select all, then a paste event. */
async function paste(page, text) {
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    document.querySelector('.cm-content').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

async function openPage(url, name) {
  const page = await S.context.newPage();
  const state = watch(page, name);
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]', { timeout: STEP_TIMEOUT_MS });
  state.phase = 'started';
  return { page, state };
}

// --- the test ------------------------------------------------------------------------------------------

describe('Ward playground in headless Chromium', { timeout: TOTAL_TIMEOUT_MS }, () => {
  let watchdog;

  before(async () => {
    watchdog = setTimeout(() => {
      console.error(`[e2e] watchdog: still running after ${TOTAL_TIMEOUT_MS / 1000}s, giving up`);
      process.exit(2);
    }, TOTAL_TIMEOUT_MS + 10_000);
    watchdog.unref();
    assert.ok(fs.existsSync(path.join(DIST, 'index.html')), `${DIST}/index.html is missing: run npm run build first`);
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: run e2e/setup.sh (apt-get install chromium)`);
    fs.rmSync(ARTIFACTS, { recursive: true, force: true });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    S.server = await serve(DIST);
    log(`serving ${DIST} at ${S.server.url}`);
    S.profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ward-playground-e2e-'));
    S.context = await chromium.launchPersistentContext(S.profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
      acceptDownloads: true,
    });
    await S.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: S.server.url.replace(/\/$/, '') });
    log(`Chromium ${S.context.browser()?.version() ?? ''} (${CHROMIUM})`);
  });

  after(async () => {
    clearTimeout(watchdog);
    fs.writeFileSync(path.join(ARTIFACTS, 'browser-console.log'), S.consoleLines.join('\n') + '\n');
    fs.writeFileSync(
      path.join(ARTIFACTS, 'requests.log'),
      S.requests.map((r) => `${r.page}\t${r.phase}\t${r.method}\t${r.url.slice(0, 200)}`).join('\n') + '\n',
    );
    await S.context?.close().catch(() => {});
    await S.server?.close();
    if (S.profile) fs.rmSync(S.profile, { recursive: true, force: true });
  });

  let main; // { page, state } of the first page

  step('loads the page: the worker starts the wasm and lints the DynamoDB incident', async () => {
    main = await openPage(S.server.url, 'main');
    S.page = main.page;
    await waitForFindings(main.page, INCIDENT_FINDINGS, 'first lint');
    assert.match(await main.page.textContent('#version'), /^Ward \d+\.\d+\.\d+/);
    assert.match(await main.page.textContent('#lint-time'), /^linted in [\d.]+ ms$/);
    await shot(main.page, '01-loaded.png');
  });

  step('pastes a template: squiggles, gutter markers and the findings panel', async () => {
    const { page } = main;
    await page.selectOption('#example', 'compliant');
    await page.waitForSelector('#findings-list .findings-empty:text("No findings.")', { timeout: STEP_TIMEOUT_MS });
    assert.equal(await page.locator('.cm-lintRange').count(), 0);
    await paste(page, INCIDENT);
    await waitForFindings(page, INCIDENT_FINDINGS, 'after the paste');
    assert.equal(await editorText(page), INCIDENT, 'the editor holds exactly the pasted text');
    assert.equal(await page.inputValue('#example'), '', 'the example picker no longer names an example');
    // One mark per finding range: 28:7, 29:40, and 33:5 (two findings on the same range).
    const marks = await page.$$eval('.cm-lintRange', (els) => els.map((e) => e.textContent));
    log(`lint marks: ${JSON.stringify(marks)}`);
    for (const text of ['SSESpecification', 'false', 'Properties']) assert.ok(marks.includes(text), `a lint mark on ${text}`);
    assert.equal(await page.locator('.cm-lintRange-warning').count() >= 2, true);
    const markers = await page.locator('.cm-gutter-lint .cm-lint-marker').count();
    assert.equal(markers, 3, 'gutter markers on lines 28, 29 and 33');
    assert.match(await page.textContent('#status-summary'), /^4 findings \(2 warnings, 2 info\) · 1 fixable \(\+1 unsafe\) · 1 suppressed$/);
    log(`status: ${await page.textContent('#status-summary')} · ${await page.textContent('#lint-time')}`);
  });

  step('hovering a squiggle shows the rule, its title, the message and the fix', async () => {
    const { page } = main;
    const mark = page.locator('.cm-lintRange-warning', { hasText: /^false$/ });
    await mark.hover();
    const tip = page.locator('.cm-tooltip-lint');
    await tip.waitFor({ timeout: STEP_TIMEOUT_MS });
    const text = await tip.innerText();
    log(`tooltip: ${JSON.stringify(text)}`);
    for (const want of [
      'DDB001',
      'DynamoDB tables should be encrypted with a KMS key',
      'DynamoDB table OrdersTable is not encrypted with a KMS key when condition IsProd is false',
      'Fix: Set SSEEnabled to true (unsafe)',
      '10:14', // a related location: the parameter's default
    ]) {
      assert.ok(text.includes(want), `the tooltip says ${JSON.stringify(want)}`);
    }
    const actions = await tip.locator('.cm-diagnosticAction').allInnerTexts();
    assert.deepEqual(actions, ['Set SSEEnabled to true (unsafe)', 'Suppress DDB001 for OrdersTable']);
    await shot(page, '02-tooltip.png');
  });

  step('the quick fix in the tooltip fixes the text, and the diagnostic goes', async () => {
    const { page } = main;
    await page.locator('.cm-tooltip-lint .cm-diagnosticAction', { hasText: 'Set SSEEnabled to true (unsafe)' }).click();
    await waitForFindings(page, ['DDB002 28:7', 'DDB001 33:5', 'DDB002 33:5'], 'after the quick fix');
    const expected = INCIDENT.replace('SSEEnabled: !If [IsProd, true, false]', 'SSEEnabled: true');
    assert.notEqual(expected, INCIDENT);
    assert.equal(await editorText(page), expected);
    assert.equal(await page.locator('.cm-lintRange', { hasText: /^false$/ }).count(), 0);
    await page.mouse.move(5, 5);
    await shot(page, '03-quick-fixed.png');
  });

  step('a rule id opens its documentation in the side panel', async () => {
    const { page } = main;
    await page.locator('#findings-list .finding[data-rule="DDB001"] .rule').click();
    await page.waitForSelector('#docs-body[data-rule="DDB001"] h1', { timeout: STEP_TIMEOUT_MS });
    assert.match(await page.textContent('#docs-body h1'), /^DDB001 .*: DynamoDB tables should be encrypted with a KMS key$/);
    assert.ok((await page.locator('#docs-body h2').allInnerTexts()).includes('Why'));
    assert.ok((await page.locator('#docs-body pre code').count()) >= 2, 'code blocks for the examples');
    // Clicking a finding's row moves the editor's selection to it.
    await page.locator('#findings-list .finding[data-rule="DDB001"] .msg').click();
    const selected = await page.evaluate(() => {
      const { state } = window.wardPlayground.view;
      return state.sliceDoc(state.selection.main.from, state.selection.main.to);
    });
    assert.equal(selected, 'Properties');
    await shot(page, '04-docs.png');
    // The Rules tab lists every rule; a search narrows it, a click shows the documentation.
    await page.click('[data-tab="rules"]');
    const all = await page.locator('#rules-list li').count();
    assert.ok(all > 40, `${all} rules listed`);
    await page.fill('#rule-search', 'dynamodb');
    assert.deepEqual(await page.$$eval('#rules-list li', (els) => els.map((e) => e.dataset.rule)), ['DDB001', 'DDB002']);
    await page.click('#rules-list li[data-rule="DDB002"]');
    await page.waitForSelector('#docs-body[data-rule="DDB002"] h1', { timeout: STEP_TIMEOUT_MS });
  });

  step('settings apply as they are typed', async () => {
    const { page } = main;
    await page.click('[data-tab="settings"]');
    // Half-typed: Ward refuses an unknown rule id, and the page keeps the last settings it accepted.
    await page.fill('#set-ignore', 'DDB00');
    await page.waitForSelector('#settings-problems li.options-error', { timeout: STEP_TIMEOUT_MS });
    assert.match(await page.textContent('#settings-problems'), /`DDB00` is neither a Ward rule id nor a category/);
    assert.match(await page.textContent('#status-summary'), /settings not applied/);
    await waitForFindings(page, ['DDB002 28:7', 'DDB001 33:5', 'DDB002 33:5'], 'an unknown rule id in ignore');
    await page.fill('#set-ignore', 'DDB002');
    await page.waitForSelector('#settings-problems li.options-error', { state: 'detached', timeout: STEP_TIMEOUT_MS });
    await waitForFindings(page, ['DDB001 33:5'], 'ignore DDB002');
    await page.fill('#set-conditions', 'IsProd=maybe');
    await page.waitForSelector('#settings-problems li', { timeout: STEP_TIMEOUT_MS });
    assert.match(await page.textContent('#settings-problems'), /IsProd: expected true or false/);
    await page.fill('#set-conditions', '');
    await page.waitForSelector('#settings-problems li', { state: 'detached', timeout: STEP_TIMEOUT_MS });
    // The severity filter hides warnings from the panel (the editor keeps them).
    await page.uncheck('[data-severity="warning"]');
    await waitForFindings(page, [], 'warnings filtered out');
    assert.equal(await page.textContent('#findings-count'), '0 of 1 findings');
    await page.check('[data-severity="warning"]');
    await waitForFindings(page, ['DDB001 33:5'], 'warnings shown again');
    await shot(page, '05-settings.png');
  });

  step('a share link carries the template and the settings to a new page', async () => {
    const { page } = main;
    await page.click('#share');
    await page.waitForSelector('#share-box:not([hidden])');
    const fromInput = await page.inputValue('#share-url');
    const fromClipboard = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(fromClipboard, fromInput, 'the link was copied to the clipboard');
    assert.match(fromInput, /^http:\/\/127\.0\.0\.1:\d+\/#z=[A-Za-z0-9_-]+$/);
    assert.equal(new URL(fromInput).search, '', 'nothing in the query string: the server never sees the template');
    log(`share link: ${fromInput.length} characters for a ${(await editorText(page)).length}-character template`);

    const shared = await openPage(fromInput, 'shared');
    await waitForFindings(shared.page, ['DDB001 33:5'], 'the shared page');
    assert.equal(await editorText(shared.page), await editorText(page), 'same text');
    assert.equal(await shared.page.inputValue('#set-ignore'), 'DDB002', 'same settings');
    assert.deepEqual(await findingRows(shared.page), await findingRows(page), 'same findings');
    await shot(shared.page, '06-shared-link.png');
    // An edit makes the link in the address bar outdated: it goes (a reload restores the latest text).
    await shared.page.click('.cm-content');
    await shared.page.keyboard.press('Control+End');
    await shared.page.keyboard.type('# edited\n');
    await shared.page.waitForFunction(() => location.hash === '');
    await shared.page.close();
  });

  step('"Fix all" applies the safe fixes', async () => {
    const { page } = main;
    const before = await editorText(page);
    await page.click('#fix-all');
    await page.waitForSelector('#toast:text("Applied 1 fix")', { timeout: STEP_TIMEOUT_MS });
    await waitForFindings(page, [], 'after Fix all');
    const after = await editorText(page);
    assert.ok(after.includes('  CustomersTable:\n') && after.length > before.length, 'CustomersTable got its SSESpecification');
    assert.match(await page.textContent('#findings-list'), /No findings\./);
  });

  step('downloads the template as a file', async () => {
    const { page } = main;
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    assert.equal(download.suggestedFilename(), 'template.yaml');
    const file = path.join(ARTIFACTS, download.suggestedFilename());
    await download.saveAs(file);
    assert.equal(fs.readFileSync(file, 'utf8'), await editorText(page));
  });

  step('the JSON example is highlighted and linted as JSON', async () => {
    const { page } = main;
    await page.selectOption('#example', 'data-platform');
    await page.waitForFunction(() => document.querySelector('#status-lang')?.textContent === 'JSON');
    await page.waitForFunction(() => document.querySelectorAll('#findings-list .finding[data-rule]').length > 0, null, {
      timeout: STEP_TIMEOUT_MS,
    });
    log(`JSON example: ${JSON.stringify(await findingRows(page))}`);
  });

  step('the dark theme applies and is remembered', async () => {
    const { page } = main;
    const before = await page.getAttribute('html', 'data-theme');
    await page.click('#theme');
    const flipped = before === 'dark' ? 'light' : 'dark';
    assert.equal(await page.getAttribute('html', 'data-theme'), flipped);
    if (flipped !== 'dark') await page.click('#theme');
    assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
    await page.locator('.cm-lintRange').first().hover();
    await page.locator('.cm-tooltip-lint').waitFor({ timeout: STEP_TIMEOUT_MS });
    await shot(page, '07-dark.png');
    const again = await openPage(S.server.url, 'reloaded');
    assert.equal(await again.page.getAttribute('html', 'data-theme'), 'dark', 'remembered in localStorage');
    await again.page.close();
    await page.mouse.move(5, 5);
  });

  step('one lint of a 1,000-resource template in the worker', async () => {
    // In a page of its own, once the others are idle: the two cores are shared with the browser.
    const { page: benchPage } = await openPage(S.server.url, 'bench');
    await benchPage.waitForTimeout(300);
    const { text } = generateYaml(1000, 0);
    // The first lints of a large template run while V8 still compiles the module's hot functions
    // with its optimizing tier (the very first takes ~100 ms): ten warm-up runs, then ten measured.
    let bench = await benchPage.evaluate((t) => window.wardPlayground.bench(t, 20), text);
    if (LINT_BUDGET_ENFORCED && median(bench.runs.slice(10)) >= LINT_BUDGET_MS) {
      // The two cores are shared with the browser's other processes: one more try before failing.
      log(`lint median ${median(bench.runs.slice(10)).toFixed(2)} ms over the budget; measuring once more (runs: ${bench.runs.map((x) => x.toFixed(1)).join(', ')})`);
      await benchPage.waitForTimeout(1000);
      bench = await benchPage.evaluate((t) => window.wardPlayground.bench(t, 20), text);
    }
    await benchPage.close();
    const warmup = bench.runs.slice(0, 10);
    const runs = bench.runs.slice(10);
    const m = median(runs);
    log(
      `LINT 1,000 resources (${(text.length / 1024).toFixed(0)} KB, ${bench.findings} findings, default settings) in Chromium's worker: ` +
        `median ${m.toFixed(2)} ms of ${runs.length} runs (min ${Math.min(...runs).toFixed(2)}, max ${Math.max(...runs).toFixed(2)}); ` +
        `goal ${LINT_BUDGET_MS} ms: ${m < LINT_BUDGET_MS ? 'met' : 'MISSED'}; warm-up runs ${warmup.map((x) => x.toFixed(1)).join(', ')} ms`,
    );
    fs.writeFileSync(
      path.join(ARTIFACTS, 'lint-1000.json'),
      JSON.stringify({ medianMs: m, runs, warmup, findings: bench.findings, bytes: text.length }, null, 2) + '\n',
    );

    // The same template pasted into the editor: until the findings panel shows the result.
    const { page } = main;
    const t0 = Date.now();
    await paste(page, text);
    // (The page still ignores DDB002, so it shows fewer findings than the default settings give.)
    await page.waitForFunction(() => document.querySelectorAll('#findings-list .finding[data-rule]').length > 500, null, {
      timeout: STEP_TIMEOUT_MS,
    });
    log(`pasted 1,000 resources: findings panel updated after ${Date.now() - t0} ms (includes the 120 ms lint delay); ${await page.textContent('#lint-time')}`);
    await shot(page, '08-1000-resources.png');
    if (LINT_BUDGET_ENFORCED) {
      assert.ok(m < LINT_BUDGET_MS, `median lint ${m.toFixed(2)} ms is over the budget of ${LINT_BUDGET_MS} ms`);
    }
  });

  step('no request once the page had started, and none anywhere but the page’s own server', async () => {
    const origin = new URL(S.server.url).origin;
    const local = (u) => u.startsWith('blob:') || u.startsWith('data:');
    const foreign = S.requests.filter((r) => !local(r.url) && new URL(r.url).origin !== origin);
    assert.deepEqual(foreign, [], 'requests to other origins');
    for (const name of ['main', 'shared', 'reloaded', 'bench']) {
      const mine = S.requests.filter((r) => r.page === name);
      const afterLoad = mine.filter((r) => r.phase !== 'boot' && !local(r.url));
      log(
        `${name}: ${mine.filter((r) => r.phase === 'boot').length} requests before the load event; after it, before start-up ended: ` +
          JSON.stringify(afterLoad.filter((r) => r.phase === 'starting').map((r) => new URL(r.url).pathname)),
      );
      // Between the load event and the end of start-up, the worker may still fetch its script and the
      // wasm module (static files, before any template is linted). Nothing else, and nothing after.
      for (const r of afterLoad) {
        assert.equal(r.phase, 'starting', `${name} requested ${r.url} after it had started`);
        assert.match(new URL(r.url).pathname, /^\/assets\/(worker-[\w-]+\.js|ward_wasm_bg-[\w-]+\.wasm)$/, `${name}: unexpected ${r.url}`);
      }
    }
    const main = S.requests.filter((r) => r.page === 'main');
    const late = main.filter((r) => r.phase === 'started');
    log(`main page after start-up: ${late.length} requests ${JSON.stringify(late.map((r) => r.url.slice(0, 60)))}`);
    assert.ok(late.every((r) => local(r.url)), 'only blob: or data: URLs (the download) after start-up');
  });

  step('no errors in the console (no Content-Security-Policy violation either)', async () => {
    assert.deepEqual(S.errors, []);
  });
});
