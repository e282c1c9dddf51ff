'use strict';
// A small LSP client for testing `cfn-ward lsp` end to end: it spawns the real binary over stdio,
// speaks JSON-RPC through vscode-jsonrpc / vscode-languageserver-protocol, answers the requests a
// server may send to its client (workspace/configuration, client/registerCapability,
// window/workDoneProgress/create, workspace/diagnostic/refresh …), keeps the documents it opened
// (text and version) and records every publishDiagnostics. The tests and the benchmark use it.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} = require('vscode-languageserver-protocol/node');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** The server binary: $WARD_BIN, else $CARGO_TARGET_DIR/debug/cfn-ward, else <repo>/target/debug/cfn-ward. */
function wardBin() {
  if (process.env.WARD_BIN) return path.resolve(process.env.WARD_BIN);
  const targetDir = process.env.CARGO_TARGET_DIR
    ? path.resolve(REPO_ROOT, process.env.CARGO_TARGET_DIR)
    : path.join(REPO_ROOT, 'target');
  return path.join(targetDir, 'debug', 'cfn-ward');
}

// ---------------------------------------------------------------------------------------------
// Text and edits. JavaScript strings are UTF-16, so an LSP position (line, UTF-16 character) maps
// to a string index directly once the line starts are known.

/** Start offsets of every line; LSP lines end at \n, \r\n or \r. */
function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** The string index of an LSP position (UTF-16), clamped to the line's end as the spec asks. */
function offsetAt(text, position, starts = lineStarts(text)) {
  if (position.line >= starts.length) return text.length;
  const start = starts[position.line];
  let end = position.line + 1 < starts.length ? starts[position.line + 1] : text.length;
  // Exclude the line break from the line.
  if (end > start && text.charCodeAt(end - 1) === 10) end--;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  return Math.min(start + position.character, end);
}

/** The LSP position (UTF-16) of a string index. */
function positionAt(text, offset, starts = lineStarts(text)) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}

/** Position of the n-th (0-based) occurrence of `needle`, plus `delta` UTF-16 units. */
function positionOf(text, needle, { nth = 0, delta = 0 } = {}) {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${JSON.stringify(needle)} (occurrence ${nth}) not found in the text`);
  }
  return positionAt(text, at + delta);
}

/**
 * Applies LSP TextEdits (all relative to the original text, non-overlapping) and returns the new
 * text. Edits are applied from the end backwards; equal starts keep their given order.
 */
function applyEdits(text, edits) {
  const starts = lineStarts(text);
  const resolved = edits.map((e, i) => ({
    start: offsetAt(text, e.range.start, starts),
    end: offsetAt(text, e.range.end, starts),
    newText: e.newText,
    i,
  }));
  resolved.sort((a, b) => b.start - a.start || b.end - a.end || b.i - a.i);
  let out = text;
  let limit = Infinity;
  for (const e of resolved) {
    if (e.end > limit) throw new Error('overlapping text edits');
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    limit = e.start;
  }
  return out;
}

/** The TextEdits a WorkspaceEdit makes to `uri`, from `documentChanges` or `changes`. */
function editsFor(workspaceEdit, uri) {
  if (!workspaceEdit) throw new Error('no WorkspaceEdit');
  const edits = [];
  if (workspaceEdit.documentChanges) {
    for (const change of workspaceEdit.documentChanges) {
      if (change.kind) throw new Error(`unexpected resource operation ${change.kind}`);
      if (change.textDocument.uri === uri) edits.push(...change.edits);
    }
  }
  if (workspaceEdit.changes && workspaceEdit.changes[uri]) edits.push(...workspaceEdit.changes[uri]);
  return edits;
}

/** The uris a WorkspaceEdit touches. */
function urisOf(workspaceEdit) {
  const uris = new Set(Object.keys(workspaceEdit.changes || {}));
  for (const change of workspaceEdit.documentChanges || []) uris.add(change.textDocument.uri);
  return [...uris];
}

// ---------------------------------------------------------------------------------------------

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Rejects after `ms` with `what` in the message; the timer does not keep the process alive. */
function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function clientCapabilities({ pull = false, documentChanges = true, positionEncodings = ['utf-16'] } = {}) {
  const textDocument = {
    synchronization: { dynamicRegistration: false, didSave: true, willSave: false },
    publishDiagnostics: {
      relatedInformation: true,
      versionSupport: true,
      codeDescriptionSupport: true,
      dataSupport: true,
      tagSupport: { valueSet: [1, 2] },
    },
    codeAction: {
      dynamicRegistration: false,
      isPreferredSupport: true,
      dataSupport: true,
      codeActionLiteralSupport: {
        codeActionKind: {
          valueSet: ['', 'quickfix', 'refactor', 'source', 'source.organizeImports', 'source.fixAll'],
        },
      },
      resolveSupport: { properties: ['edit'] },
    },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    definition: { linkSupport: false },
    references: {},
    rename: { prepareSupport: true },
    completion: {
      completionItem: { snippetSupport: false, documentationFormat: ['markdown', 'plaintext'] },
    },
  };
  if (pull) textDocument.diagnostic = { dynamicRegistration: false, relatedDocumentSupport: false };
  return {
    general: { positionEncodings },
    window: { workDoneProgress: true, showMessage: {} },
    workspace: {
      configuration: true,
      didChangeConfiguration: { dynamicRegistration: true },
      didChangeWatchedFiles: { dynamicRegistration: true },
      workspaceFolders: true,
      applyEdit: true,
      workspaceEdit: { documentChanges, resourceOperations: [] },
      ...(pull ? { diagnostics: { refreshSupport: true } } : {}),
    },
    textDocument,
  };
}

class Client {
  /**
   * Spawns the server and connects to it; call initialize() next.
   * options: bin, args (default ['lsp', '--stdio']), settings (the `ward` section), pull (declare
   * textDocument.diagnostic), documentChanges (declare workspaceEdit.documentChanges),
   * positionEncodings (offered; the helpers here assume the default, UTF-16), rootDir.
   */
  constructor(options = {}) {
    this.options = options;
    this.bin = options.bin || wardBin();
    if (!fs.existsSync(this.bin)) {
      throw new Error(`server binary not found at ${this.bin}: run \`cargo build -p cfn-ward\` or set WARD_BIN`);
    }
    this.settings = options.settings || {};
    this.rootDir = options.rootDir || process.cwd();
    this.docs = new Map(); // uri -> { uri, languageId, version, text }
    this.publishes = []; // every publishDiagnostics, in arrival order: { seq, uri, version, diagnostics, at }
    this.versionRegressions = []; // a publish for an older version after a newer one
    this.logs = []; // window/logMessage and window/showMessage
    this.serverRequests = []; // methods of requests the server sent us
    this.stderr = '';
    this.listeners = new Set();

    this.proc = spawn(this.bin, options.args || ['lsp', '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      cwd: this.rootDir,
    });
    this.pid = this.proc.pid;
    this.exited = new Promise((resolve) => {
      this.proc.on('exit', (code, signal) => {
        this.exit = { code, signal };
        this.notify();
        resolve(this.exit);
      });
    });
    this.proc.on('error', (err) => {
      this.spawnError = err;
      this.notify();
    });
    this.proc.stderr.on('data', (chunk) => {
      this.stderr += chunk.toString();
      if (this.stderr.length > 65536) this.stderr = this.stderr.slice(-65536);
    });
    // A write to a dead server must fail the test, not crash node with EPIPE.
    this.proc.stdin.on('error', () => {});

    const conn = createProtocolConnection(
      new StreamMessageReader(this.proc.stdout),
      new StreamMessageWriter(this.proc.stdin),
    );
    this.conn = conn;
    conn.onError(() => {});
    conn.onClose(() => this.notify());

    conn.onRequest('workspace/configuration', (params) => {
      this.serverRequests.push('workspace/configuration');
      return params.items.map((item) => this.configurationFor(item.section));
    });
    for (const method of [
      'client/registerCapability',
      'client/unregisterCapability',
      'window/workDoneProgress/create',
      'workspace/diagnostic/refresh',
      'workspace/semanticTokens/refresh',
      'workspace/inlayHint/refresh',
      'workspace/codeLens/refresh',
    ]) {
      conn.onRequest(method, (params) => {
        this.serverRequests.push(method);
        if (method === 'client/registerCapability') this.registrations = (this.registrations || []).concat(params.registrations);
        this.notify();
        return null;
      });
    }
    conn.onRequest('workspace/workspaceFolders', () => [
      { uri: pathToFileURL(this.rootDir).href, name: path.basename(this.rootDir) },
    ]);
    conn.onRequest('window/showMessageRequest', () => null);
    conn.onRequest('workspace/applyEdit', async (params) => {
      this.serverRequests.push('workspace/applyEdit');
      try {
        await this.applyWorkspaceEdit(params.edit);
        return { applied: true };
      } catch (err) {
        return { applied: false, failureReason: String(err.message) };
      }
    });
    conn.onNotification('window/logMessage', (p) => this.logs.push(p));
    conn.onNotification('window/showMessage', (p) => this.logs.push(p));
    conn.onNotification('$/progress', () => {});
    conn.onNotification('textDocument/publishDiagnostics', (p) => {
      const last = this.latestPublish(p.uri);
      if (last && p.version != null && last.version != null && p.version < last.version) {
        this.versionRegressions.push({ uri: p.uri, after: last.version, got: p.version });
      }
      this.publishes.push({ seq: this.publishes.length + 1, at: performance.now(), ...p });
      this.notify();
    });
    conn.listen();
  }

  /** What the client answers to workspace/configuration for a section. */
  configurationFor(section) {
    const all = { ward: this.settings };
    if (!section) return all;
    let value = all;
    for (const key of section.split('.')) {
      if (value == null || typeof value !== 'object') return null;
      value = value[key];
    }
    return value === undefined ? null : value;
  }

  notify() {
    for (const listener of [...this.listeners]) listener();
  }

  /** Diagnostic info for failure messages. */
  describe() {
    const tail = this.stderr.trim().split('\n').slice(-15).join('\n');
    const publishes = this.publishes
      .slice(-5)
      .map((p) => `  v${p.version} ${p.uri.split('/').pop()}: [${p.diagnostics.map((d) => d.code).join(', ')}]`)
      .join('\n');
    return (
      `server ${this.exit ? `exited (${JSON.stringify(this.exit)})` : 'running'}` +
      `\nlast publishes:\n${publishes || '  (none)'}` +
      (this.logs.length ? `\nlog messages:\n${this.logs.slice(-5).map((l) => '  ' + l.message).join('\n')}` : '') +
      (tail ? `\nstderr tail:\n${tail}` : '')
    );
  }

  /** Resolves with the first truthy value of `check()`, re-evaluated on every event from the server. */
  waitFor(check, { timeout = 10000, what = 'condition' } = {}) {
    return new Promise((resolve, reject) => {
      let timer;
      const done = (fn, value) => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        fn(value);
      };
      const listener = () => {
        let value;
        try {
          value = check();
        } catch (err) {
          return done(reject, err);
        }
        if (value) return done(resolve, value);
        if (this.exit || this.spawnError) {
          done(reject, new Error(`server gone while waiting for ${what}\n${this.describe()}`));
        }
      };
      timer = setTimeout(() => done(reject, new Error(`timed out after ${timeout} ms waiting for ${what}\n${this.describe()}`)), timeout);
      timer.unref();
      this.listeners.add(listener);
      listener();
    });
  }

  /** A request that fails (with the server's state in the message) instead of hanging. */
  async request(method, params, { timeout = 10000 } = {}) {
    try {
      // No params at all for `shutdown` and the like: vscode-jsonrpc would send `[null]` for null.
      const sent = params == null ? this.conn.sendRequest(method) : this.conn.sendRequest(method, params);
      return await withTimeout(sent, timeout, `${method}\n${this.describe()}`);
    } catch (err) {
      if (err && err.code !== undefined && !String(err.message).includes('timed out')) {
        err.message = `${method} failed: ${err.message} (code ${err.code})\n${this.describe()}`;
      }
      throw err;
    }
  }

  notifyServer(method, params) {
    return params == null ? this.conn.sendNotification(method) : this.conn.sendNotification(method, params);
  }

  async initialize() {
    const rootUri = pathToFileURL(this.rootDir).href;
    const result = await this.request(
      'initialize',
      {
        processId: process.pid,
        clientInfo: { name: 'ward-node-test-client', version: '0' },
        locale: 'en',
        rootPath: this.rootDir,
        rootUri,
        workspaceFolders: [{ uri: rootUri, name: path.basename(this.rootDir) }],
        capabilities: clientCapabilities(this.options),
        initializationOptions: this.options.initializationOptions,
        trace: 'off',
      },
      { timeout: 15000 },
    );
    this.serverCapabilities = result.capabilities;
    this.serverInfo = result.serverInfo;
    await this.notifyServer('initialized', {});
    return result;
  }

  /** Changes the client's `ward` settings and tells the server, as editors do. */
  async setSettings(settings) {
    this.settings = settings;
    await this.notifyServer('workspace/didChangeConfiguration', { settings: { ward: settings } });
  }

  /** Opens a document (written to disk too when `file` is a path) and returns it. */
  async open(file, text, { languageId, version = 1, write = true } = {}) {
    const absolute = path.resolve(this.rootDir, file);
    if (write) fs.writeFileSync(absolute, text);
    const uri = pathToFileURL(absolute).href;
    const doc = {
      uri,
      languageId: languageId || (absolute.endsWith('.json') ? 'json' : 'yaml'),
      version,
      text,
    };
    this.docs.set(uri, doc);
    await this.notifyServer('textDocument/didOpen', { textDocument: { ...doc } });
    return doc;
  }

  /**
   * Applies TextEdits to a document and sends them as one incremental didChange whose content
   * changes carry the edits' ranges (last edit first, so every range is still valid when the
   * server applies the changes in order). Returns the new version.
   */
  async edit(doc, edits) {
    const sorted = edits
      .map((e, i) => ({ e, i, at: offsetAt(doc.text, e.range.start) }))
      .sort((a, b) => b.at - a.at || b.i - a.i)
      .map(({ e }) => e);
    doc.text = applyEdits(doc.text, edits);
    doc.version += 1;
    await this.notifyServer('textDocument/didChange', {
      textDocument: { uri: doc.uri, version: doc.version },
      contentChanges: sorted.map((e) => ({ range: e.range, text: e.newText })),
    });
    return doc.version;
  }

  /** Replaces the whole text through a full-text didChange. */
  async replace(doc, text) {
    doc.text = text;
    doc.version += 1;
    await this.notifyServer('textDocument/didChange', {
      textDocument: { uri: doc.uri, version: doc.version },
      contentChanges: [{ text }],
    });
    return doc.version;
  }

  async close(doc) {
    this.docs.delete(doc.uri);
    await this.notifyServer('textDocument/didClose', { textDocument: { uri: doc.uri } });
  }

  /** Applies a WorkspaceEdit to the open documents it touches and sends the didChanges. */
  async applyWorkspaceEdit(workspaceEdit) {
    for (const uri of urisOf(workspaceEdit)) {
      const doc = this.docs.get(uri);
      if (!doc) throw new Error(`WorkspaceEdit touches ${uri}, which is not open`);
      for (const change of workspaceEdit.documentChanges || []) {
        if (change.textDocument.uri === uri && change.textDocument.version != null && change.textDocument.version !== doc.version) {
          throw new Error(`WorkspaceEdit for version ${change.textDocument.version} of ${uri}, which is at version ${doc.version}`);
        }
      }
      await this.edit(doc, editsFor(workspaceEdit, uri));
    }
  }

  latestPublish(uri) {
    for (let i = this.publishes.length - 1; i >= 0; i--) if (this.publishes[i].uri === uri) return this.publishes[i];
    return undefined;
  }

  /**
   * Waits for a publishDiagnostics for `uri` that arrived after publish number `after` and, when
   * given, is for `version` and satisfies `match(diagnostics)`.
   */
  waitForPublish(uri, { version, match, after = 0, timeout = 10000 } = {}) {
    const what = `publishDiagnostics for ${uri.split('/').pop()}${version != null ? ` version ${version}` : ''}`;
    return this.waitFor(
      () =>
        this.publishes.find(
          (p) =>
            p.seq > after &&
            p.uri === uri &&
            (version == null || p.version === version) &&
            (!match || match(p.diagnostics)),
        ),
      { timeout, what },
    );
  }

  /** Pulls diagnostics (textDocument/diagnostic) and returns the items of a full report. */
  async pull(doc, previousResultId) {
    const report = await this.request('textDocument/diagnostic', {
      textDocument: { uri: doc.uri },
      ...(previousResultId ? { previousResultId } : {}),
    });
    return report;
  }

  /** Code actions for a range, resolved when the server defers their edits. */
  async codeActions(doc, range, { diagnostics = [], only } = {}) {
    const actions =
      (await this.request('textDocument/codeAction', {
        textDocument: { uri: doc.uri },
        range,
        context: { diagnostics, ...(only ? { only } : {}), triggerKind: 1 },
      })) || [];
    const resolved = [];
    for (const action of actions) {
      if (action.command && typeof action.command === 'string') {
        resolved.push(action); // a bare Command
      } else if (!action.edit && action.data !== undefined && this.serverCapabilities?.codeActionProvider?.resolveProvider) {
        resolved.push(await this.request('codeAction/resolve', action));
      } else {
        resolved.push(action);
      }
    }
    return resolved;
  }

  /** shutdown + exit; resolves with the process's exit status. */
  async shutdown({ timeout = 5000 } = {}) {
    if (!this.exit) {
      await this.request('shutdown', null, { timeout });
      await this.notifyServer('exit');
    }
    const status = await withTimeout(this.exited, timeout, `server exit after shutdown\n${this.describe()}`);
    this.conn.dispose();
    return status;
  }

  /** Ends the server whatever its state: a graceful shutdown first, then SIGKILL. */
  async dispose() {
    if (!this.exit && !this.spawnError) {
      try {
        await this.shutdown({ timeout: 2000 });
      } catch {
        this.proc.kill('SIGKILL');
        await withTimeout(this.exited, 2000, 'server exit after SIGKILL').catch(() => {});
      }
    }
    this.conn.dispose();
  }

  /** VmRSS and VmHWM of the server process, in KiB (Linux). */
  memory() {
    const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kib = (key) => Number((status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm')) || [])[1]);
    return { rssKiB: kib('VmRSS'), hwmKiB: kib('VmHWM') };
  }
}

/** Starts and initializes a server, runs `fn(client)`, and always ends the server. */
async function withServer(options, fn) {
  const client = new Client(options);
  try {
    await client.initialize();
    return await fn(client);
  } finally {
    await client.dispose();
  }
}

module.exports = {
  REPO_ROOT,
  wardBin,
  Client,
  withServer,
  lineStarts,
  offsetAt,
  positionAt,
  positionOf,
  applyEdits,
  editsFor,
  urisOf,
  sleep,
  withTimeout,
};
