// End-to-end test of the Ward extension in a real VS Code: code-server 4.100.3 (VS Code 1.100.3),
// driven by playwright-core in Debian's Chromium. See README.md.
//
//   node --test --test-reporter=spec run.test.mjs      (or: npm test)
//
// Environment:
//   WARD_VSIX            the .vsix to install (default: ../ward.vsix)
//   WARD_E2E_CHROMIUM    the browser (default: /usr/bin/chromium)
//   WARD_E2E_KEEP=1      keep the temporary directory (user data, logs, workspace) after the run
//   WARD_E2E_TRACE=1     set ward.trace.server to verbose: every LSP message lands in the Ward
//                        output channel, copied to artifacts/ (log-ward-linter.ward-Ward.log)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const EXT_ROOT = path.resolve(HERE, '..');
const VSIX = path.resolve(process.env.WARD_VSIX ?? path.join(EXT_ROOT, 'ward.vsix'));
const CHROMIUM = process.env.WARD_E2E_CHROMIUM ?? '/usr/bin/chromium';
const CODE_SERVER = path.join(HERE, 'node_modules', '.bin', 'code-server');
const ARTIFACTS = path.join(HERE, 'artifacts');
const README_SCREENSHOT = path.join(EXT_ROOT, 'images', 'screenshot.png');

const TOTAL_TIMEOUT_MS = 180_000; // the whole run; a watchdog kills everything after it
const DIAGNOSTIC_TIMEOUT_MS = 60_000; // first diagnostic after opening the template (2-core machines)
const STEP_TIMEOUT_MS = 30_000; // a diagnostic disappearing, a file being saved, a menu appearing
const T0 = Date.now();

// --- fixtures ------------------------------------------------------------------------------------

// Two unencrypted DynamoDB tables: OrdersTable says `SSEEnabled: false` (DDB001 sits on the `false`),
// AuditTable has no SSESpecification (DDB001 sits on its `Properties:` key). The queue is compliant.
const ORDERS_YAML = `AWSTemplateFormatVersion: "2010-09-09"
Description: Orders service storage
Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: true
      SSESpecification:
        SSEEnabled: false
  AuditTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: true
  OrdersQueue:
    Type: AWS::SQS::Queue
    Properties:
      SqsManagedSseEnabled: true
Outputs:
  OrdersTableName:
    Value: !Ref OrdersTable
`;

// A YAML file that is not a CloudFormation template: Ward must leave it alone.
const OTHER_YAML = `# Not a CloudFormation template: a CI configuration that happens to be YAML.
name: build
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test
`;

const SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'files.autoSave': 'off',
  'editor.minimap.enabled': false,
  'editor.stickyScroll.enabled': false,
  'editor.cursorBlinking': 'solid', // screenshots that do not depend on the blink phase
  'editor.hover.delay': 200,
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'ward.trace.server': process.env.WARD_E2E_TRACE ? 'verbose' : 'off',
};

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

// --- small helpers -------------------------------------------------------------------------------

const elapsed = () => `${((Date.now() - T0) / 1000).toFixed(1)}s`;
const log = (msg) => console.log(`[e2e ${elapsed()}] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// A sleep that does not keep the process alive: the upper bound in a Promise.race.
const grace = (ms) => new Promise((r) => setTimeout(r, ms).unref());

async function waitFor(what, fn, timeoutMs = STEP_TIMEOUT_MS, intervalMs = 100) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) {
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
    }
    await sleep(intervalMs);
  }
}

function tail(file, lines = 60) {
  try {
    const all = fs.readFileSync(file, 'utf8').split('\n');
    return all.slice(-lines).join('\n');
  } catch (e) {
    return `(cannot read ${file}: ${e.message})`;
  }
}

function walk(dir) {
  const out = [];
  let entries = [];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

// --- state shared by the steps ---------------------------------------------------------------------

const S = {
  tmp: null,
  dirs: {},
  codeServer: null, // ChildProcess
  codeServerLog: null,
  port: null,
  context: null, // Playwright BrowserContext
  page: null,
  failed: false,
  shot: 0,
  snapshots: [], // every distinct content of the diagnostics dump, in order
  states: [], // every distinct content of the client state file
  poller: null,
};

function readDump() {
  try {
    return JSON.parse(fs.readFileSync(S.dirs.diagnosticsFile, 'utf8'));
  } catch {
    return null; // not written yet
  }
}

function wardDiagnostics(fileName, dump = readDump()) {
  if (!dump) return [];
  return dump
    .filter((e) => decodeURIComponent(e.uri).endsWith(`/${fileName}`))
    .flatMap((e) => e.diagnostics)
    .filter((d) => d.source === 'ward');
}

const codeOf = (d) => (d.code && typeof d.code === 'object' ? d.code.value : d.code);
const ddb001For = (id, diags) => diags.filter((d) => codeOf(d) === 'DDB001' && d.message.includes(id));

function startPolling() {
  let lastDump = '';
  let lastState = '';
  S.poller = setInterval(() => {
    for (const [file, key] of [
      [S.dirs.diagnosticsFile, 'snapshots'],
      [S.dirs.stateFile, 'states'],
    ]) {
      let text;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      if (key === 'snapshots' ? text === lastDump : text === lastState) continue;
      if (key === 'snapshots') lastDump = text;
      else lastState = text;
      try {
        S[key].push({ at: elapsed(), value: JSON.parse(text) });
      } catch {
        /* a partial write would be a bug in the extension; the atomic rename should prevent it */
        S[key].push({ at: elapsed(), value: null, raw: text });
      }
    }
  }, 50);
}

async function screenshot(name) {
  if (!S.page) return null;
  S.shot += 1;
  const file = path.join(ARTIFACTS, `${String(S.shot).padStart(2, '0')}-${name}.png`);
  try {
    await S.page.screenshot({ path: file });
    log(`screenshot ${path.relative(EXT_ROOT, file)}`);
    return file;
  } catch (e) {
    log(`screenshot ${name} failed: ${e.message}`);
    return null;
  }
}

// What to print when a step fails: a screenshot, code-server's log, the extension host's log and
// the Ward output channel (VS Code writes every output channel to a file under the user data dir).
async function reportFailure(stepName, err) {
  S.failed = true;
  console.log(`\n[e2e] FAIL in step "${stepName}": ${err?.stack ?? err}`);
  await screenshot(`FAIL-${stepName.replace(/[^a-z0-9]+/gi, '-')}`);
  console.log(`\n----- code-server log (tail) -----\n${tail(S.codeServerLog)}`);
  const logs = walk(path.join(S.dirs.userData ?? '/nonexistent', 'logs'));
  for (const f of logs.filter((p) => /exthost\.log$|remoteexthost\.log$/.test(p))) {
    console.log(`\n----- ${path.relative(S.tmp, f)} (tail) -----\n${tail(f, 40)}`);
  }
  for (const f of logs.filter((p) => /ward/i.test(path.relative(S.dirs.userData, p)))) {
    console.log(`\n----- Ward output channel: ${path.relative(S.tmp, f)} (tail) -----\n${tail(f, 60)}`);
  }
  console.log(`\n----- diagnostics dump history (${S.snapshots.length} versions) -----`);
  for (const s of S.snapshots.slice(-5)) console.log(`${s.at} ${JSON.stringify(s.value ?? s.raw)}`);
  console.log(`----- client state history -----\n${S.states.map((s) => `${s.at} ${JSON.stringify(s.value ?? s.raw)}`).join('\n')}`);
}

// Runs one step; after a failed step the following ones are skipped, not run against a broken state.
function step(name, fn) {
  it(name, async (t) => {
    if (S.failed) {
      t.skip('an earlier step failed');
      return;
    }
    try {
      await fn();
    } catch (err) {
      await reportFailure(name, err);
      throw err;
    }
  });
}

// --- process cleanup -------------------------------------------------------------------------------

function killCodeServer() {
  const cs = S.codeServer;
  if (!cs || cs.exitCode !== null || cs.signalCode !== null) return;
  // code-server runs in its own process group (detached): its extension host and the Ward server
  // are in it too, so one signal to the group stops them all.
  try {
    process.kill(-cs.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
}

function killCodeServerHard() {
  const cs = S.codeServer;
  if (!cs) return;
  try {
    process.kill(-cs.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

async function cleanup() {
  if (S.poller) clearInterval(S.poller);
  if (S.context) {
    await Promise.race([S.context.close().catch(() => {}), grace(10_000)]);
    S.context = null;
    log('browser closed');
  }
  if (S.codeServer) {
    killCodeServer();
    const cs = S.codeServer;
    await Promise.race([
      new Promise((r) => (cs.exitCode !== null || cs.signalCode !== null ? r() : cs.once('exit', r))),
      grace(5_000),
    ]);
    killCodeServerHard();
    log(`code-server stopped (${cs.exitCode ?? cs.signalCode})`);
  }
  if (S.tmp) {
    // Keep the logs as artifacts whatever happened.
    const logs = path.join(S.dirs.userData, 'logs');
    for (const f of walk(logs).filter((p) => /exthost\.log$|ward/i.test(path.relative(logs, p)))) {
      fs.copyFileSync(f, path.join(ARTIFACTS, `log-${path.basename(path.dirname(f))}-${path.basename(f)}`));
    }
    if (fs.existsSync(S.codeServerLog)) fs.copyFileSync(S.codeServerLog, path.join(ARTIFACTS, 'code-server.log'));
    if (process.env.WARD_E2E_KEEP) log(`kept ${S.tmp}`);
    else fs.rmSync(S.tmp, { recursive: true, force: true });
  }
}

process.on('exit', () => {
  killCodeServerHard();
});

const watchdog = setTimeout(async () => {
  console.log(`\n[e2e] FAIL: the whole run took longer than ${TOTAL_TIMEOUT_MS / 1000}s`);
  await reportFailure('overall-timeout', new Error('overall timeout')).catch(() => {});
  await Promise.race([cleanup(), grace(15_000)]).catch(() => {});
  killCodeServerHard();
  process.exit(1);
}, TOTAL_TIMEOUT_MS);
watchdog.unref();

// --- editor actions ----------------------------------------------------------------------------------

async function quickOpen(fileName) {
  const { page } = S;
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await input.fill(fileName);
  await page
    .locator('.quick-input-widget .monaco-list-row', { hasText: fileName })
    .first()
    .waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: fileName }).waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: STEP_TIMEOUT_MS });
}

// Moves the cursor to a 0-based LSP position with Go to Line/Column (Ctrl+G, "line:column").
async function gotoPosition(pos) {
  const { page } = S;
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await input.fill(`:${pos.line + 1}:${pos.character + 1}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
  // The status bar shows the new cursor position once the editor has it.
  await page
    .locator('.statusbar-item', { hasText: `Ln ${pos.line + 1}, Col ${pos.character + 1}` })
    .first()
    .waitFor({ timeout: STEP_TIMEOUT_MS });
}

// VS Code asks for code actions by itself 250 ms after the cursor moves or the file's markers
// change (CodeActionOracle's auto trigger, for the light bulb). That request replaces a Ctrl+. made
// in those 250 ms, and the editor then says "No code actions available" although the server
// answered with actions. A person is never that fast; the test waits the delay out, and retries
// Ctrl+. (saying so) if the menu still does not open.
const AUTO_TRIGGER_SETTLE_MS = 600;

async function openCodeActionMenu() {
  const { page } = S;
  const menu = page.locator('.action-widget');
  await sleep(AUTO_TRIGGER_SETTLE_MS);
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+.');
    try {
      await menu.waitFor({ state: 'visible', timeout: 5_000 });
      return menu;
    } catch (err) {
      const message = (await page.locator('.monaco-editor-overlaymessage').allInnerTexts().catch(() => [])).join(' ').trim();
      if (attempt >= 3) throw new Error(`Ctrl+. opened no menu in ${attempt} tries (editor says: ${JSON.stringify(message)})`, { cause: err });
      log(`Ctrl+. try ${attempt} opened no menu (editor says: ${JSON.stringify(message)}); trying again`);
      await screenshot(`no-menu-try-${attempt}`);
      await page.keyboard.press('Escape');
      await sleep(AUTO_TRIGGER_SETTLE_MS);
    }
  }
}

// Ctrl+. at the cursor, then chooses the code action with this exact title.
async function applyCodeAction(title) {
  const { page } = S;
  const menu = await openCodeActionMenu();
  const rows = menu.locator('.monaco-list-row');
  await rows.first().waitFor({ timeout: STEP_TIMEOUT_MS });
  const titles = (await rows.allInnerTexts()).map((t) => t.trim().replace(/\s+/g, ' '));
  log(`Ctrl+. offers: ${JSON.stringify(titles)}`);
  assert.ok(
    titles.some((t) => t.startsWith(title)),
    `the quick fix menu offers "${title}"; it offers ${JSON.stringify(titles)}`,
  );
  const shot = await screenshot(`menu-${title.replace(/[^a-z0-9]+/gi, '-')}`);
  // Keyboard, not a click: while the menu is open VS Code lays a pointer-blocking layer
  // (.context-view-pointerBlock) over the page, and Playwright's click sees it as covering the row.
  // Arrow keys skip the group headers; stop on the row whose aria-label is the title.
  for (let i = 0; ; i++) {
    const focused = await menu.locator('.monaco-list-row.focused').first().getAttribute('aria-label');
    if (focused === title) break;
    assert.ok(i <= titles.length, `could not move the selection to "${title}" (stuck on "${focused}")`);
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
  return shot;
}

async function saveAndRead(file, expectFn, what) {
  await S.page.keyboard.press('Control+S');
  return waitFor(`${what} in ${path.basename(file)} on disk after Ctrl+S`, () => {
    const text = fs.readFileSync(file, 'utf8');
    return expectFn(text) ? text : null;
  });
}

// The Ward language server processes that code-server started (descendants of its process group).
function wardServerProcesses() {
  const out = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgid !== S.codeServer.pid) continue;
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      const exe = fs.readlinkSync(`/proc/${pid}/exe`);
      if (path.basename(exe) === 'cfn-ward' || (argv[0] ?? '').includes('cfn-ward')) out.push({ pid, exe, argv });
    } catch {
      /* the process ended meanwhile */
    }
  }
  return out;
}

// --- the test ----------------------------------------------------------------------------------------

describe('Ward extension in code-server (VS Code 1.100.3)', () => {
  before(async () => {
    assert.ok(fs.existsSync(CODE_SERVER), `${CODE_SERVER} exists (run ./setup.sh first)`);
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} exists (run ./setup.sh first)`);
    assert.ok(fs.existsSync(VSIX), `${VSIX} exists (build it: cd vscode-extension && npm ci && npm run package)`);

    fs.rmSync(ARTIFACTS, { recursive: true, force: true });
    fs.mkdirSync(ARTIFACTS, { recursive: true });

    S.tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ward-e2e-')));
    const d = (S.dirs = {
      userData: path.join(S.tmp, 'user-data'),
      extensions: path.join(S.tmp, 'extensions'),
      workspace: path.join(S.tmp, 'workspace'),
      browserProfile: path.join(S.tmp, 'chromium-profile'),
      xdg: path.join(S.tmp, 'xdg'),
      config: path.join(S.tmp, 'code-server.yaml'),
      diagnosticsFile: path.join(S.tmp, 'ward-diagnostics.json'),
      stateFile: path.join(S.tmp, 'ward-state.json'),
    });
    for (const dir of [d.userData, d.extensions, d.workspace, d.browserProfile, d.xdg]) fs.mkdirSync(dir, { recursive: true });
    fs.mkdirSync(path.join(d.userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(d.userData, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));
    // --config keeps code-server from writing ~/.config/code-server/config.yaml.
    fs.writeFileSync(d.config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
    fs.writeFileSync(path.join(d.workspace, 'orders.yaml'), ORDERS_YAML);
    fs.writeFileSync(path.join(d.workspace, 'build.yaml'), OTHER_YAML);
    S.codeServerLog = path.join(S.tmp, 'code-server.log');

    // An environment without any cfn-ward on PATH, so only the bundled server can answer.
    const env = {
      ...process.env,
      PATH: (process.env.PATH ?? '')
        .split(':')
        .filter((p) => p && !fs.existsSync(path.join(p, 'cfn-ward')))
        .join(':'),
      XDG_CONFIG_HOME: path.join(d.xdg, 'config'),
      XDG_DATA_HOME: path.join(d.xdg, 'data'),
      XDG_CACHE_HOME: path.join(d.xdg, 'cache'),
      WARD_E2E_DIAGNOSTICS_FILE: d.diagnosticsFile,
      WARD_E2E_STATE_FILE: d.stateFile,
    };
    delete env.WARD_BIN;
    const common = ['--config', d.config, '--user-data-dir', d.userData, '--extensions-dir', d.extensions];

    let t = Date.now();
    const install = spawnSync(CODE_SERVER, [...common, '--install-extension', VSIX, '--force'], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    log(`code-server --install-extension ${path.relative(EXT_ROOT, VSIX)}: exit ${install.status} in ${Date.now() - t} ms`);
    const installOut = `${install.stdout}${install.stderr}`.trim();
    assert.equal(install.status, 0, `--install-extension failed:\n${installOut}`);
    assert.match(installOut, /successfully installed/i, installOut);
    const installed = fs.readdirSync(d.extensions).filter((n) => !n.startsWith('.') && n !== 'extensions.json');
    log(`installed: ${installed.join(', ')}`);

    const out = fs.openSync(S.codeServerLog, 'w');
    S.codeServer = spawn(
      CODE_SERVER,
      [
        ...common,
        '--auth',
        'none',
        '--bind-addr',
        '127.0.0.1:0',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--ignore-last-opened',
        d.workspace,
      ],
      { env, stdio: ['ignore', out, out], detached: true },
    );
    fs.closeSync(out);
    t = Date.now();
    S.port = await waitFor(
      'code-server to listen',
      () => {
        if (S.codeServer.exitCode !== null) throw new Error(`code-server exited with ${S.codeServer.exitCode}`);
        const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(fs.readFileSync(S.codeServerLog, 'utf8'));
        return m && Number(m[1]);
      },
      30_000,
    ).catch(async (e) => {
      await reportFailure('start code-server', e);
      throw e;
    });
    log(`code-server (pid ${S.codeServer.pid}) listening on 127.0.0.1:${S.port} after ${Date.now() - t} ms`);
    startPolling();

    S.context = await chromium.launchPersistentContext(d.browserProfile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
      timeout: 60_000,
    });
    S.page = S.context.pages()[0] ?? (await S.context.newPage());
    const consoleLog = fs.createWriteStream(path.join(ARTIFACTS, 'browser-console.log'));
    S.page.on('console', (m) => consoleLog.write(`${elapsed()} ${m.type()}: ${m.text()}\n`));
    S.page.on('pageerror', (e) => consoleLog.write(`${elapsed()} pageerror: ${e.message}\n`));
  });

  after(async () => {
    await cleanup();
    clearTimeout(watchdog);
  });

  step('the workbench loads the workspace', async () => {
    const { page } = S;
    await page.goto(`http://127.0.0.1:${S.port}/?folder=${encodeURIComponent(S.dirs.workspace)}`, { timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page
      .locator('.explorer-viewlet .monaco-list-row', { hasText: 'orders.yaml' })
      .waitFor({ timeout: 60_000 });
    log('workbench up, explorer shows orders.yaml');
    await screenshot('workbench');
  });

  step('a YAML file that is not a template gets no Ward diagnostics', async () => {
    await quickOpen('build.yaml');
    log('build.yaml open');
    // Checked again at the end: no dump ever lists build.yaml.
  });

  step('DDB001 shows up for orders.yaml: diagnostics API, squiggle, Problems panel', async () => {
    const { page } = S;
    const opened = Date.now();
    await quickOpen('orders.yaml');
    log('orders.yaml open');
    const diags = await waitFor(
      'a DDB001 diagnostic for orders.yaml in the diagnostics dump',
      () => {
        const ds = wardDiagnostics('orders.yaml');
        return ddb001For('OrdersTable', ds).length && ddb001For('AuditTable', ds).length ? ds : null;
      },
      DIAGNOSTIC_TIMEOUT_MS,
    );
    log(`diagnostics ${Date.now() - opened} ms after opening orders.yaml: ${JSON.stringify(diags.map((d) => [codeOf(d), d.range.start.line + 1, d.message]))}`);
    const [orders] = ddb001For('OrdersTable', diags);
    assert.equal(orders.source, 'ward');
    assert.ok(['warning', 1].includes(orders.severity), `DDB001 is a warning; got severity ${JSON.stringify(orders.severity)}`);
    assert.deepEqual(orders.range.start, { line: 16, character: 20 }, 'OrdersTable: DDB001 on the `false` of SSEEnabled');
    const [audit] = ddb001For('AuditTable', diags);
    assert.deepEqual(audit.range.start, { line: 19, character: 4 }, 'AuditTable: DDB001 on its Properties key');

    // The same finding as VS Code shows it.
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: STEP_TIMEOUT_MS });
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'DDB001' }).first();
    await row.waitFor({ timeout: STEP_TIMEOUT_MS });
    const rows = (await page.locator('.markers-panel .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    log(`Problems panel: ${JSON.stringify(rows)}`);
    assert.ok(rows.some((r) => r.includes('OrdersTable is not encrypted')), 'the Problems panel shows the OrdersTable finding');

    // The hover on the squiggle (Show Hover: Ctrl+K Ctrl+I): the finding and the rule's documentation.
    await gotoPosition(orders.range.start);
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = page.locator('.monaco-hover', { hasText: 'DDB001' }).first();
    await hover.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    assert.match(await hover.innerText(), /OrdersTable is not encrypted with a KMS key/);
    await sleep(300); // let the hover finish fading in
    await screenshot('ddb001-squiggle-hover-problems');
    await page.keyboard.press('Escape');
    await hover.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
  });

  step('the server that answers is the one bundled in the .vsix', async () => {
    const procs = wardServerProcesses();
    log(`Ward server processes: ${JSON.stringify(procs)}`);
    assert.ok(procs.length >= 1, 'a cfn-ward process runs under code-server');
    for (const p of procs) {
      assert.ok(p.exe.startsWith(S.dirs.extensions + path.sep), `${p.exe} is inside the extensions dir`);
      assert.equal(p.argv[1], 'lsp', `started as "cfn-ward lsp …": ${JSON.stringify(p.argv)}`);
    }
    log(`client states: ${JSON.stringify(S.states.map((s) => s.value))}`);
    const last = S.states.at(-1)?.value;
    assert.ok(last, 'WARD_E2E_STATE_FILE was written');
    assert.equal(last.state, 'running', `the client is running: ${JSON.stringify(last)}`);
    if ('source' in last) assert.equal(last.source, 'bundled', `the bundled server was chosen: ${JSON.stringify(last)}`);
    if (last.server) assert.equal(fs.realpathSync(last.server), procs[0].exe, 'the state names the running binary');
  });

  step('Ctrl+. "Set SSEEnabled to true" fixes OrdersTable', async () => {
    const { page } = S;
    const file = path.join(S.dirs.workspace, 'orders.yaml');
    const [orders] = ddb001For('OrdersTable', wardDiagnostics('orders.yaml'));
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click(); // focus the editor
    await gotoPosition(orders.range.start);
    const menuShot = await applyCodeAction('Set SSEEnabled to true');
    // The picture for the Marketplace page: the squiggles, the Ctrl+. menu with Ward's quick fix and
    // suppression, the Problems panel and Ward's status bar item.
    // Only on request: the picture is committed, and a test run must not leave the tree modified.
    if (process.env.WARD_E2E_UPDATE_SCREENSHOT === '1') {
      fs.mkdirSync(path.dirname(README_SCREENSHOT), { recursive: true });
      fs.copyFileSync(menuShot, README_SCREENSHOT);
      log(`wrote ${path.relative(EXT_ROOT, README_SCREENSHOT)}`);
    }
    await waitFor('DDB001 for OrdersTable to disappear from the dump', () => ddb001For('OrdersTable', wardDiagnostics('orders.yaml')).length === 0);
    const remaining = wardDiagnostics('orders.yaml');
    assert.equal(ddb001For('AuditTable', remaining).length, 1, 'AuditTable still has its DDB001');
    const text = await saveAndRead(file, (t) => t !== ORDERS_YAML, 'the quick fix');
    assert.match(text, /SSESpecification:\n {8}SSEEnabled: true\n {2}AuditTable:/, 'OrdersTable now says SSEEnabled: true');
    assert.doesNotMatch(text, /SSEEnabled: false/);
    assert.equal(text.replace('SSEEnabled: true', 'SSEEnabled: false'), ORDERS_YAML, 'nothing else changed');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'OrdersTable is not encrypted with a KMS key' }).waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
    await screenshot('after-quick-fix');
  });

  step('Ctrl+. "Suppress DDB001 for AuditTable" silences AuditTable', async () => {
    const file = path.join(S.dirs.workspace, 'orders.yaml');
    const before = fs.readFileSync(file, 'utf8');
    const [audit] = ddb001For('AuditTable', wardDiagnostics('orders.yaml'));
    await gotoPosition(audit.range.start);
    await applyCodeAction('Suppress DDB001 for AuditTable');
    await waitFor('every DDB001 to disappear from the dump', () => {
      const ds = wardDiagnostics('orders.yaml');
      return readDump() && ds.every((d) => codeOf(d) !== 'DDB001');
    });
    const text = await saveAndRead(file, (t) => t !== before, 'the suppression');
    const auditBlock = text.slice(text.indexOf('  AuditTable:'), text.indexOf('  OrdersQueue:'));
    assert.match(auditBlock, /Metadata:/, `AuditTable has Metadata:\n${auditBlock}`);
    assert.match(auditBlock, /ward:/);
    assert.match(auditBlock, /suppress:/);
    assert.match(auditBlock, /rule: DDB001/);
    assert.match(auditBlock, /reason: /);
    log(`AuditTable now reads:\n${auditBlock}`);
    await S.page.locator('.markers-panel .monaco-list-row', { hasText: 'DDB001' }).first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
    await screenshot('after-suppress');
  });

  step('Ward never reported anything for the non-template YAML file', async () => {
    const seen = S.snapshots.filter((s) => wardDiagnostics('build.yaml', s.value ?? []).length > 0);
    assert.equal(seen.length, 0, `build.yaml got Ward diagnostics: ${JSON.stringify(seen[0])}`);
    log(`${S.snapshots.length} versions of the diagnostics dump seen, none with build.yaml`);
  });
});
