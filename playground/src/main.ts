// Ward's playground: the page. Linting runs in a Web Worker (src/worker.ts) that holds the wasm
// build of Ward; this file wires the editor, the panels, the settings and share links to it.
// After start-up the page makes no network request: the wasm, the scripts, the styles and the
// examples are all part of the build.
import './style.css';
import type { Diagnostic } from '@codemirror/lint';
import type { EditorView } from '@codemirror/view';
import { WardClient, type LintResponse } from './client';
import {
  countBySeverity,
  editsToChanges,
  filterFindings,
  fixLabel,
  minimalChange,
  toDiagnostics,
  type DiagnosticHooks,
} from './diagnostics';
import { Editor } from './editor';
import { EXAMPLES } from './examples';
import { escapeHtml, renderCodeSpans, renderMarkdown } from './markdown';
import { DEFAULT_SETTINGS, splitList, toLintOptions, type Settings } from './settings';
import { decodeShare, encodeShare } from './share';
import type { Finding, Fix, LintOptions, RuleInfo, Severity } from './ward-api';

const THEME_KEY = 'ward-playground-theme';
const STATE_KEY = 'ward-playground-state';
const AUTOSAVE_LIMIT = 500_000;

const $ = <T extends HTMLElement = HTMLElement>(selector: string): T => {
  const el = document.querySelector<T>(selector);
  if (!el) throw new Error(`missing element ${selector}`);
  return el;
};

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, string | boolean | ((e: Event) => void)> = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (typeof value === 'function') el.addEventListener(key.replace(/^on/, ''), value);
    else if (value === true) el.setAttribute(key, '');
    else if (value !== false) el.setAttribute(key, value);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

/** A span with `text`, its `code spans` rendered (the rest escaped). */
function codeText(text: string, className: string): HTMLElement {
  const el = h('span', { class: className });
  el.innerHTML = renderCodeSpans(text);
  return el;
}

// --- state ------------------------------------------------------------------------------------------

let settings: Settings = { ...DEFAULT_SETTINGS };
let lintOptions: LintOptions = {};
/** The last options that Ward accepted, and why it refused the current ones (an unknown rule id…). */
let goodOptions: LintOptions = {};
let optionsError: string | null = null;
let lintSeq = 0;
/** The last lint result that the editor shows, with the document it describes. */
let current: { doc: EditorView['state']['doc']; response: LintResponse } | null = null;
let rules: RuleInfo[] = [];
const docsCache = new Map<string, string | null>();
let currentFile = 'template.yaml';

// --- the worker ---------------------------------------------------------------------------------------

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'ward-lint' });
const client = new WardClient(worker);

// --- theme --------------------------------------------------------------------------------------------

function preferredDark(): boolean {
  const saved = safeStorage(() => localStorage.getItem(THEME_KEY));
  if (saved === 'dark' || saved === 'light') return saved === 'dark';
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}

function applyTheme(dark: boolean) {
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  $('#theme').textContent = dark ? 'Light' : 'Dark';
  $('#theme').setAttribute('aria-pressed', String(dark));
}

function safeStorage<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null; // storage disabled (private mode, sandboxed frame)
  }
}

let dark = preferredDark();
applyTheme(dark);

// --- toast --------------------------------------------------------------------------------------------

let toastTimer: ReturnType<typeof setTimeout> | undefined;
function toast(message: string) {
  const el = $('#toast');
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.hidden = true), 2600);
}

// --- the editor ---------------------------------------------------------------------------------------

/** Applies a fix's edits, when the text is still the one they were computed for. */
function applyFix(view: EditorView, fix: Fix, doc: EditorView['state']['doc']) {
  if (view.state.doc !== doc) {
    toast('The template changed since this fix was computed: try again');
    return;
  }
  view.dispatch({ changes: editsToChanges(fix.edits), userEvent: 'input.ward.fix', scrollIntoView: true });
  view.focus();
}

function renderTooltip(finding: Finding): Node {
  const fix = finding.fix;
  return h(
    'div',
    { class: 'ward-tip', 'data-rule': finding.rule },
    h(
      'div',
      { class: 'ward-tip-head' },
      sevIcon(finding.severity),
      h('button', { type: 'button', class: 'rule-link', title: 'Show the rule’s documentation', onclick: () => openDocs(finding.rule) }, finding.rule),
      h('span', { class: 'ward-tip-title' }, finding.title),
    ),
    codeText(finding.message, 'ward-tip-message'),
    finding.related.length
      ? h(
          'ul',
          { class: 'ward-tip-related' },
          ...finding.related.map((r) =>
            h(
              'li',
              {},
              h('button', { type: 'button', onclick: () => editor.reveal(r.start.offset, r.end.offset) }, `${r.start.line}:${r.start.column}`),
              ' ',
              codeText(r.message, 'related-message'),
            ),
          ),
        )
      : null,
    h('div', { class: 'ward-tip-fix' }, fix ? `Fix: ${fixLabel(fix)}` : 'No automatic fix: see the rule’s documentation'),
  );
}

/**
 * Lints with the current options. Ward refuses options it cannot use (an unknown rule id while
 * it is being typed, say): then the error goes under the settings, and the lint runs again with
 * the last options it accepted.
 */
async function lintWithOptions(text: string): Promise<LintResponse> {
  const options = lintOptions;
  try {
    const response = await client.lint(text, options, ++lintSeq);
    goodOptions = options;
    optionsError = null;
    return response;
  } catch (e) {
    if (options === goodOptions) throw e;
    optionsError = e instanceof Error ? e.message : String(e);
    return client.lint(text, goodOptions, ++lintSeq);
  }
}

async function lintSource(view: EditorView): Promise<readonly Diagnostic[]> {
  const doc = view.state.doc;
  const text = doc.toString();
  let response: LintResponse;
  try {
    response = await lintWithOptions(text);
  } catch (e) {
    $('#status-summary').textContent = `Ward failed: ${e instanceof Error ? e.message : String(e)}`;
    return [];
  }
  if (view.state.doc !== doc) return []; // the text changed meanwhile: CodeMirror ignores this result
  current = { doc, response };
  const hooks: DiagnosticHooks = {
    applyFix: (v, fix) => applyFix(v, fix, doc),
    render: (_v, finding) => renderTooltip(finding),
  };
  renderFindings();
  renderStatus();
  return toDiagnostics(response.result, doc.length, hooks);
}

/**
 * After an edit, a share link in the address bar no longer describes the page: drop it (a reload
 * then restores the latest text from localStorage, not the older link's).
 */
function shareLinkOutdated() {
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  $('#share-box').hidden = true;
}

function onDocChanged() {
  shareLinkOutdated();
  $('#status-lang').textContent = editor.languageName.toUpperCase();
  const select = $<HTMLSelectElement>('#example');
  const example = EXAMPLES.find((e) => e.id === select.value);
  if (example && example.text !== editor.text()) {
    select.value = '';
    currentFile = 'template.yaml'; // the download's name: no longer the example
  }
  scheduleAutosave();
}

// --- start-up state: a share link, the last session, or the DynamoDB incident -----------------------------

interface Saved {
  text: string;
  settings: Settings;
  example?: string;
}

async function initialState(): Promise<Saved> {
  if (location.hash.length > 1) {
    const shared = await decodeShare(location.hash);
    if (shared) return shared;
    toast('This link’s template could not be read');
  }
  const saved = safeStorage(() => localStorage.getItem(STATE_KEY));
  if (saved) {
    try {
      const v = JSON.parse(saved) as Partial<Saved>;
      if (typeof v.text === 'string') return { text: v.text, settings: { ...DEFAULT_SETTINGS, ...(v.settings ?? {}) }, example: v.example };
    } catch {
      // ignore a damaged entry
    }
  }
  return { text: EXAMPLES[0].text, settings: { ...DEFAULT_SETTINGS }, example: EXAMPLES[0].id };
}

let autosaveTimer: ReturnType<typeof setTimeout> | undefined;
function scheduleAutosave() {
  clearTimeout(autosaveTimer);
  autosaveTimer = setTimeout(() => {
    const text = editor.text();
    if (text.length > AUTOSAVE_LIMIT) return;
    const example = $<HTMLSelectElement>('#example').value || undefined;
    safeStorage(() => localStorage.setItem(STATE_KEY, JSON.stringify({ text, settings, example })));
  }, 400);
}

const start = await initialState();
settings = start.settings;
lintOptions = toLintOptions(settings).options;

const editor = new Editor({
  parent: $('#editor'),
  doc: start.text,
  dark,
  lint: lintSource,
  onDocChanged,
});

// --- findings panel -------------------------------------------------------------------------------------

const severityBoxes = [...document.querySelectorAll<HTMLInputElement>('[data-severity]')];

function sevIcon(severity: Severity | 'syntax'): HTMLElement {
  const glyph = { error: '×', warning: '!', info: 'i', syntax: '×' }[severity];
  return h('span', { class: `sev-icon ${severity}`, title: severity === 'syntax' ? 'syntax error' : severity, 'aria-label': severity }, glyph);
}

function renderFindings() {
  const list = $('#findings-list');
  list.replaceChildren();
  if (!current) return;
  const { result } = current.response;
  const counts = countBySeverity(result.findings);
  for (const sev of ['error', 'warning', 'info'] as const) $(`[data-count="${sev}"]`).textContent = String(counts[sev]);

  const filter = {
    severities: new Set(severityBoxes.filter((b) => b.checked).map((b) => b.dataset.severity as Severity)),
    category: $<HTMLSelectElement>('#category-filter').value,
    text: $<HTMLInputElement>('#text-filter').value,
  };
  const shown = filterFindings(result.findings, filter);
  const total = result.findings.length;
  $('#findings-count').textContent =
    shown.length === total ? `${total} finding${total === 1 ? '' : 's'}` : `${shown.length} of ${total} findings`;

  for (const error of result.errors) {
    list.append(
      h(
        'li',
        { class: 'finding syntax', tabindex: '0', onclick: () => editor.reveal(error.start.offset, error.end.offset) },
        sevIcon('syntax'),
        h('span', { class: 'rule' }, error.fatal ? 'syntax' : 'template'),
        h('span', { class: 'msg' }, error.message),
        h('span', {}),
        h('span', { class: 'pos' }, `${error.start.line}:${error.start.column}`),
      ),
    );
  }
  for (const f of shown) {
    const jump = () => editor.reveal(f.start.offset, f.end.offset);
    const doc = current.doc;
    list.append(
      h(
        'li',
        {
          class: `finding ${f.severity}`,
          tabindex: '0',
          'data-rule': f.rule,
          onclick: jump,
          onkeydown: (e: Event) => {
            if ((e as KeyboardEvent).key === 'Enter') jump();
          },
        },
        sevIcon(f.severity),
        h(
          'button',
          {
            type: 'button',
            class: 'rule',
            title: `${f.title}: show the documentation`,
            onclick: (e: Event) => {
              e.stopPropagation();
              openDocs(f.rule);
            },
          },
          f.rule,
        ),
        h('span', { class: 'msg' }, codeText(f.message, 'text'), f.resource ? h('span', { class: 'resource' }, ` · ${f.resource}`) : null),
        f.fix
          ? h(
              'button',
              {
                type: 'button',
                class: 'fix',
                title: fixLabel(f.fix),
                onclick: (e: Event) => {
                  e.stopPropagation();
                  if (f.fix) applyFix(editor.view, f.fix, doc);
                },
              },
              f.fix.applicability === 'unsafe' ? 'Fix (unsafe)' : 'Fix',
            )
          : h('span', {}),
        h('span', { class: 'pos' }, `${f.start.line}:${f.start.column}`),
      ),
    );
  }
  if (!result.errors.length && !shown.length) {
    const why = !result.isTemplate
      ? 'Not a CloudFormation template (no Resources, AWSTemplateFormatVersion or Transform).'
      : total
        ? 'No finding matches the filters.'
        : 'No findings.';
    list.append(h('li', { class: 'findings-empty' }, why));
  }
}

function renderStatus() {
  if (!current) return;
  const { result, ms } = current.response;
  const c = countBySeverity(result.findings);
  const parts = [
    `${result.findings.length} finding${result.findings.length === 1 ? '' : 's'}`,
    (['error', 'warning', 'info'] as const)
      .filter((s) => c[s])
      .map((s) => `${c[s]} ${s === 'info' ? 'info' : s + (c[s] === 1 ? '' : 's')}`)
      .join(', '),
  ].filter(Boolean);
  let summary = parts.length > 1 ? `${parts[0]} (${parts[1]})` : parts[0];
  const fixable = result.findings.filter((f) => f.fix?.applicability === 'safe').length;
  const unsafe = result.findings.filter((f) => f.fix?.applicability === 'unsafe').length;
  if (fixable || unsafe) summary += ` · ${fixable} fixable${unsafe ? ` (+${unsafe} unsafe)` : ''}`;
  if (result.suppressed) summary += ` · ${result.suppressed} suppressed`;
  if (result.errors.length) summary += ` · ${result.errors.length} syntax error${result.errors.length === 1 ? '' : 's'}`;
  if (!result.isTemplate) summary = 'Not a CloudFormation template';
  if (optionsError) summary += ' · settings not applied: see Settings';
  $('#status-summary').textContent = summary;
  $('#lint-time').textContent = `linted in ${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  renderSettingsProblems();
}

/** Lines of the settings that could not be read, and a ward.toml error from the last lint. */
function renderSettingsProblems() {
  const configError = current?.response.result.configError;
  $('#settings-problems').replaceChildren(
    ...(optionsError ? [h('li', { class: 'options-error' }, `${optionsError.replace(/^invalid options: /, '')} (the last valid settings are used)`)] : []),
    ...toLintOptions(settings).problems.map((p) => h('li', {}, `${p.field}, line ${p.line}: ${p.message}`)),
    ...(configError
      ? [h('li', {}, `ward.toml${configError.line ? `, line ${configError.line}` : ''}: ${configError.message} (defaults used)`)]
      : []),
  );
}

for (const box of severityBoxes) box.addEventListener('change', renderFindings);
$('#category-filter').addEventListener('change', renderFindings);
$('#text-filter').addEventListener('input', renderFindings);

// --- rules and their documentation ------------------------------------------------------------------------

function selectTab(tab: string) {
  for (const b of document.querySelectorAll<HTMLElement>('[data-tab]')) b.setAttribute('aria-selected', String(b.dataset.tab === tab));
  for (const p of document.querySelectorAll<HTMLElement>('[data-panel]')) p.hidden = p.dataset.panel !== tab;
}
for (const b of document.querySelectorAll<HTMLElement>('[data-tab]')) b.addEventListener('click', () => selectTab(b.dataset.tab ?? 'docs'));

async function openDocs(rule: string) {
  selectTab('docs');
  const body = $('#docs-body');
  if (!docsCache.has(rule)) docsCache.set(rule, await client.explain(rule));
  const md = docsCache.get(rule);
  body.innerHTML = md ? renderMarkdown(md) : `<p>No rule <code>${escapeHtml(rule)}</code>.</p>`;
  body.dataset.rule = rule;
  body.scrollTop = 0;
}

function ignoredRules(): Set<string> {
  return new Set(splitList(settings.ignore).map((s) => s.toUpperCase()));
}

function renderRules() {
  const q = $<HTMLInputElement>('#rule-search').value.trim().toLowerCase();
  const ignored = ignoredRules();
  const list = $('#rules-list');
  list.replaceChildren(
    ...rules
      .filter((r) => !q || [r.id, r.name, r.title, r.category, ...r.resourceTypes].some((s) => s.toLowerCase().includes(q)))
      .map((r) => {
        const isIgnored = ignored.has(r.id.toUpperCase()) || ignored.has(r.name.toUpperCase());
        return h(
          'li',
          { 'data-rule': r.id, onclick: () => openDocs(r.id) },
          h(
            'div',
            { class: 'head' + (isIgnored ? ' ignored' : '') },
            sevIcon(r.severity as Severity),
            h('span', { class: 'id' }, r.id),
            h('span', { class: 'meta' }, `${r.category}${r.fix ? ` · ${r.fix} fix` : ''}`),
            h(
              'button',
              {
                type: 'button',
                class: 'toggle',
                title: isIgnored ? 'Run this rule again' : 'Add this rule to the ignore setting',
                onclick: (e: Event) => {
                  e.stopPropagation();
                  toggleIgnore(r);
                },
              },
              isIgnored ? 'Enable' : 'Ignore',
            ),
          ),
          h('div', { class: 'title' + (isIgnored ? ' ignored' : '') }, r.title),
        );
      }),
  );
}

function toggleIgnore(rule: RuleInfo) {
  const items = splitList(settings.ignore);
  const matches = (s: string) => s.toUpperCase() === rule.id.toUpperCase() || s.toUpperCase() === rule.name.toUpperCase();
  const next = items.some(matches) ? items.filter((s) => !matches(s)) : [...items, rule.id];
  updateSettings({ ignore: next.join(', ') });
}

$('#rule-search').addEventListener('input', renderRules);

// --- settings ----------------------------------------------------------------------------------------------

const settingInputs = [...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('[data-setting]')];

function showSettings() {
  for (const input of settingInputs) input.value = String(settings[input.dataset.setting as keyof Settings] ?? '');
  $<HTMLInputElement>('#unsafe').checked = settings.unsafe;
}

function updateSettings(patch: Partial<Settings>) {
  settings = { ...settings, ...patch };
  showSettings();
  settingsChanged();
}

let settingsTimer: ReturnType<typeof setTimeout> | undefined;
function settingsChanged() {
  const next = toLintOptions(settings).options;
  renderRules();
  renderSettingsProblems();
  scheduleAutosave();
  shareLinkOutdated();
  if (JSON.stringify(next) === JSON.stringify(lintOptions)) return;
  lintOptions = next;
  editor.relint();
}

for (const input of settingInputs) {
  input.addEventListener('input', () => {
    settings = { ...settings, [input.dataset.setting as string]: input.value };
    clearTimeout(settingsTimer);
    settingsTimer = setTimeout(settingsChanged, 150);
  });
}
$('#unsafe').addEventListener('change', () => {
  settings = { ...settings, unsafe: $<HTMLInputElement>('#unsafe').checked };
  scheduleAutosave();
  shareLinkOutdated();
});
$('#settings-reset').addEventListener('click', () => updateSettings({ ...DEFAULT_SETTINGS, unsafe: settings.unsafe }));
showSettings();

// --- examples ---------------------------------------------------------------------------------------------

const exampleSelect = $<HTMLSelectElement>('#example');
for (const e of EXAMPLES) exampleSelect.append(h('option', { value: e.id }, e.label));
exampleSelect.value = start.example && EXAMPLES.some((e) => e.id === start.example && e.text === start.text) ? start.example : '';
exampleSelect.addEventListener('change', () => {
  const example = EXAMPLES.find((e) => e.id === exampleSelect.value);
  if (!example) return;
  currentFile = example.file;
  editor.setText(example.text);
  exampleSelect.value = example.id;
});

// --- fix all, download ----------------------------------------------------------------------------------------

function fixOptions() {
  return { ...goodOptions, which: settings.unsafe ? ('all' as const) : ('safe' as const) };
}

$('#fix-all').addEventListener('click', async () => {
  const doc = editor.view.state.doc;
  const before = doc.toString();
  const result = await client.applyFixes(before, fixOptions());
  if (editor.view.state.doc !== doc) return toast('The template changed meanwhile: try again');
  if (result.rejected) return toast('The fixes were not applied: together they would not give a valid template');
  const change = minimalChange(before, result.text);
  if (!change || result.applied === 0) {
    const unsafe = current?.response.result.findings.some((f) => f.fix?.applicability === 'unsafe');
    return toast(unsafe && !settings.unsafe ? 'No safe fixes: tick “include unsafe” for the others' : 'Nothing to fix');
  }
  editor.view.dispatch({ changes: change, userEvent: 'input.ward.fixAll' });
  toast(`Applied ${result.applied} fix${result.applied === 1 ? '' : 'es'}`);
});

function fileName(): string {
  const base = currentFile.replace(/\.(ya?ml|json)$/i, '');
  return `${base}.${editor.languageName === 'json' ? 'json' : 'yaml'}`;
}

function download(text: string, name: string) {
  const type = name.endsWith('.json') ? 'application/json' : 'application/yaml';
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

$('#download').addEventListener('click', () => download(editor.text(), fileName()));
$('#download-fixed').addEventListener('click', async () => {
  const result = await client.applyFixes(editor.text(), fixOptions());
  if (result.rejected) return toast('The fixes were not applied: together they would not give a valid template');
  download(result.text, fileName().replace(/(\.\w+)$/, '.fixed$1'));
  toast(`Downloaded with ${result.applied} fix${result.applied === 1 ? '' : 'es'} applied`);
});

// --- share links --------------------------------------------------------------------------------------------

$('#share').addEventListener('click', async () => {
  const hash = await encodeShare({ text: editor.text(), settings });
  history.replaceState(null, '', hash);
  const url = location.href;
  const box = $('#share-box');
  box.hidden = false;
  const input = $<HTMLInputElement>('#share-url');
  input.value = url;
  input.select();
  try {
    await navigator.clipboard.writeText(url);
    toast('Link copied: the template travels in the link, not to a server');
  } catch {
    toast('Copy the selected link');
  }
});
$('#share-copy').addEventListener('click', async () => {
  const input = $<HTMLInputElement>('#share-url');
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
    toast('Link copied');
  } catch {
    document.execCommand('copy');
  }
});
$('#share-close').addEventListener('click', () => ($('#share-box').hidden = true));

window.addEventListener('hashchange', async () => {
  const shared = await decodeShare(location.hash);
  if (!shared || (shared.text === editor.text() && JSON.stringify(shared.settings) === JSON.stringify(settings))) return;
  settings = shared.settings;
  lintOptions = toLintOptions(settings).options;
  showSettings();
  editor.setText(shared.text);
  exampleSelect.value = '';
});

// --- theme toggle --------------------------------------------------------------------------------------------

$('#theme').addEventListener('click', () => {
  dark = !dark;
  applyTheme(dark);
  editor.setDark(dark);
  safeStorage(() => localStorage.setItem(THEME_KEY, dark ? 'dark' : 'light'));
});

// --- start ---------------------------------------------------------------------------------------------------

$('#status-lang').textContent = editor.languageName.toUpperCase();
if (exampleSelect.value) currentFile = EXAMPLES.find((e) => e.id === exampleSelect.value)?.file ?? currentFile;

client.ready.then(
  async ({ version }) => {
    $('#version').textContent = `Ward ${version}`;
    rules = await client.rules();
    const categories = [...new Set(rules.map((r) => r.category))].sort();
    $('#category-filter').append(...categories.map((c) => h('option', { value: c }, c)));
    renderRules();
    document.documentElement.dataset.ready = 'true';
  },
  (e: Error) => {
    $('#status-summary').textContent = `Ward could not start: ${e.message}`;
    document.documentElement.dataset.ready = 'failed';
  },
);

/** For the end-to-end test and the curious: the lint client and the editor. */
declare global {
  interface Window {
    wardPlayground: {
      client: WardClient;
      view: EditorView;
      /** Milliseconds of `runs` lints of `text` inside the worker, with Ward's default settings. */
      bench(text: string, runs: number): Promise<{ runs: number[]; findings: number }>;
      lintCount(): number;
    };
  }
}
window.wardPlayground = {
  client,
  view: editor.view,
  bench: (text, runs) => client.bench(text, {}, runs),
  lintCount: () => lintSeq,
};
