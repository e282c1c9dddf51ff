// The Ward extension: starts `cfn-ward lsp` through vscode-languageclient and adds what the
// protocol does not carry: settings mapping, commands, a status bar item, rule docs as a Markdown
// preview and, for the end-to-end test only, environment-gated state dumps (see e2eDump.ts).
// Everything that can be decided without VS Code lives in the pure modules next to this one.

import { execFile } from 'node:child_process';
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  ResponseError,
  RevealOutputChannelOn,
  type ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import { DIAGNOSTICS_ENV, type DumpableDiagnostic, dumpDiagnostics, STATE_ENV, writeJsonAtomically } from './e2eDump';
import { nodeFileProbe } from './fileProbe';
import { docsPath, parseRuleList, ruleOfDocsPath, rulesAt } from './rules';
import { missingMessage, resolveServer, type ServerSource } from './serverPath';
import { mapConfigurationResult, needsRestart, toServerSettings, traceOn } from './settings';
import { countWard, type ServerState, statusView } from './status';

const CLIENT_ID = 'ward';
const FIX_ALL_KIND = 'source.fixAll.ward';
const RULE_DOCS_METHOD = 'ward/ruleDocs';
const DOCS_SCHEME = 'ward-rule';
const LANGUAGES = ['yaml', 'json'];

let controller: Controller | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  controller = new Controller(context);
  context.subscriptions.push(controller);
  await controller.start();
}

export async function deactivate(): Promise<void> {
  await controller?.stopClient();
  controller = undefined;
}

function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null));
}

function isWardDocument(document: vscode.TextDocument): boolean {
  return LANGUAGES.includes(document.languageId) && (document.uri.scheme === 'file' || document.uri.scheme === 'untitled');
}

/**
 * vscode-languageclient 11 traces the protocol only when its trace channel's log level is Trace,
 * and then at the `ward.trace.server` verbosity. This channel reports Trace whenever that setting
 * asks for a trace and writes the lines into the one "Ward" channel, so the setting alone works.
 */
class TraceChannel implements vscode.LogOutputChannel {
  private readonly changed = new vscode.EventEmitter<vscode.LogLevel>();
  private readonly forward: vscode.Disposable;
  readonly onDidChangeLogLevel = this.changed.event;

  constructor(private readonly target: vscode.LogOutputChannel) {
    this.forward = target.onDidChangeLogLevel(() => this.refresh());
  }

  get name(): string {
    return this.target.name;
  }

  get logLevel(): vscode.LogLevel {
    return traceOn(vscode.workspace.getConfiguration(CLIENT_ID).get('trace.server')) ? vscode.LogLevel.Trace : this.target.logLevel;
  }

  refresh(): void {
    this.changed.fire(this.logLevel);
  }

  trace(message: string, ...args: unknown[]): void {
    this.target.info(message, ...args);
  }
  debug(message: string, ...args: unknown[]): void {
    this.target.debug(message, ...args);
  }
  info(message: string, ...args: unknown[]): void {
    this.target.info(message, ...args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.target.warn(message, ...args);
  }
  error(error: string | Error, ...args: unknown[]): void {
    this.target.error(error, ...args);
  }
  append(value: string): void {
    this.target.append(value);
  }
  appendLine(value: string): void {
    this.target.appendLine(value);
  }
  replace(value: string): void {
    this.target.replace(value);
  }
  clear(): void {
    this.target.clear();
  }
  show(columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean): void {
    if (typeof columnOrPreserveFocus === 'boolean') {
      this.target.show(columnOrPreserveFocus);
    } else {
      this.target.show(columnOrPreserveFocus, preserveFocus);
    }
  }
  hide(): void {
    this.target.hide();
  }
  dispose(): void {
    this.forward.dispose();
    this.changed.dispose();
  }
}

class Controller implements vscode.Disposable {
  private readonly output = vscode.window.createOutputChannel('Ward', { log: true });
  private readonly traceChannel = new TraceChannel(this.output);
  private readonly statusItem = vscode.window.createStatusBarItem('ward.status', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [];
  private readonly docs = new Map<string, string>();
  private readonly docsChanged = new vscode.EventEmitter<vscode.Uri>();
  private client: LanguageClient | undefined;
  private state: ServerState = 'stopped';
  private server: { path: string; source: ServerSource } | undefined;
  /** Start, stop and restart run one after the other. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly context: vscode.ExtensionContext) {
    this.statusItem.name = 'Ward';
    this.statusItem.command = 'ward.showOutput';
    this.statusItem.show();
    this.disposables.push(
      this.output,
      this.traceChannel,
      this.statusItem,
      this.docsChanged,
      vscode.commands.registerCommand('ward.restartServer', () => this.restart()),
      vscode.commands.registerCommand('ward.showOutput', () => this.output.show(true)),
      vscode.commands.registerCommand('ward.fixAll', () => this.fixAll()),
      vscode.commands.registerCommand('ward.explainRule', (rule?: unknown) => this.explainRule(rule)),
      vscode.workspace.registerTextDocumentContentProvider(DOCS_SCHEME, {
        onDidChange: this.docsChanged.event,
        provideTextDocumentContent: (uri) => this.ruleDocs(ruleOfDocsPath(uri.path)),
      }),
      vscode.workspace.onDidChangeConfiguration((event) => this.configurationChanged(event)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        if ((vscode.workspace.getConfiguration(CLIENT_ID).get<string>('server.path') ?? '').trim() !== '') {
          this.output.info('Workspace trusted: restarting with ward.server.path.');
          void this.restart();
        }
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateStatus()),
      vscode.languages.onDidChangeDiagnostics((event) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active !== undefined && event.uris.some((uri) => uri.toString() === active)) {
          this.updateStatus();
        }
      }),
    );
    const diagnosticsFile = process.env[DIAGNOSTICS_ENV];
    if (diagnosticsFile) {
      this.output.info(`${DIAGNOSTICS_ENV} is set: dumping Ward diagnostics to ${diagnosticsFile}`);
      this.disposables.push(vscode.languages.onDidChangeDiagnostics(() => this.dumpDiagnostics(diagnosticsFile)));
      this.dumpDiagnostics(diagnosticsFile);
    }
    this.updateStatus();
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
  }

  start(): Promise<void> {
    return this.enqueue(() => this.startNow());
  }

  stopClient(): Promise<void> {
    return this.enqueue(() => this.stopNow());
  }

  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.stopNow();
      await this.startNow();
    });
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    const next = this.queue.then(job, job);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async startNow(): Promise<void> {
    const resolution = resolveServer({
      setting: vscode.workspace.getConfiguration(CLIENT_ID).get<string>('server.path'),
      trusted: vscode.workspace.isTrusted,
      extensionPath: this.context.extensionPath,
      platform: process.platform,
      arch: process.arch,
      pathEnv: process.env.PATH ?? process.env.Path,
      homedir: os.homedir(),
      workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
      probe: nodeFileProbe,
    });
    for (const note of resolution.notes) {
      this.output.warn(note);
    }
    if (resolution.kind === 'missing') {
      this.server = undefined;
      const message = missingMessage(resolution);
      this.output.error(message);
      this.setState('error');
      void this.offerHelp(message);
      return;
    }
    this.server = { path: resolution.path, source: resolution.source };
    this.output.info(`Starting ${resolution.path} lsp (${resolution.source})`);

    const serverOptions: ServerOptions = {
      command: resolution.path,
      // vscode-languageclient appends --stdio itself for TransportKind.stdio.
      args: ['lsp'],
      transport: TransportKind.stdio,
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: LANGUAGES.flatMap((language) => [
        { scheme: 'file', language },
        { scheme: 'untitled', language },
      ]),
      outputChannel: this.output,
      traceOutputChannel: this.traceChannel,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: () => toServerSettings(plain(vscode.workspace.getConfiguration(CLIENT_ID))),
      middleware: {
        workspace: {
          configuration: async (params, token, next) => {
            const result = await next(params, token);
            if (result instanceof ResponseError || !Array.isArray(result)) {
              return result;
            }
            return mapConfigurationResult(params.items, result);
          },
        },
      },
    };
    const client = new LanguageClient(CLIENT_ID, 'Ward', serverOptions, clientOptions);
    this.client = client;
    client.onDidChangeState((event) => {
      if (this.client !== client) {
        return;
      }
      switch (event.newState) {
        case State.Starting:
          this.setState('starting');
          break;
        case State.Running:
          this.setState('running');
          break;
        case State.Stopped:
          // A stop we did not ask for (stopNow forgets the client first): the server exited
          // or died and the client gave up restarting it.
          this.setState('error');
          break;
      }
    });
    this.setState('starting');
    try {
      await client.start();
    } catch (error) {
      const message = `Ward: the language server ${resolution.path} failed to start: ${error instanceof Error ? error.message : String(error)}`;
      this.output.error(message);
      this.setState('error');
      void this.offerHelp(message);
    }
  }

  private async stopNow(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.setState('stopped');
    if (client === undefined) {
      return;
    }
    try {
      // Stops the server (shutdown, exit) and releases the client's resources.
      await client.dispose(2000);
    } catch (error) {
      this.output.warn(`Stopping the language server: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async offerHelp(message: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(message, 'Open Setting', 'Show Output');
    if (choice === 'Open Setting') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'ward.server.path');
    } else if (choice === 'Show Output') {
      this.output.show(true);
    }
  }

  private configurationChanged(event: vscode.ConfigurationChangeEvent): void {
    if (needsRestart((section) => event.affectsConfiguration(section))) {
      this.output.info('ward.server.path changed: restarting the language server.');
      void this.restart();
      return;
    }
    if (event.affectsConfiguration('ward.trace.server')) {
      this.traceChannel.refresh();
    }
    if (event.affectsConfiguration(CLIENT_ID)) {
      // The server pulls the new `ward` section through workspace/configuration.
      const client = this.client;
      if (client !== undefined && this.state === 'running') {
        client.sendNotification(DidChangeConfigurationNotification.type, { settings: null }).catch((error: unknown) => {
          this.output.warn(`Sending the new settings: ${error instanceof Error ? error.message : String(error)}`);
        });
      }
      this.updateStatus();
    }
  }

  private setState(state: ServerState): void {
    this.state = state;
    this.updateStatus();
    const stateFile = process.env[STATE_ENV];
    if (stateFile) {
      try {
        writeJsonAtomically(stateFile, {
          state,
          server: this.server?.path ?? null,
          source: this.server?.source ?? null,
        });
      } catch (error) {
        this.output.warn(`${STATE_ENV}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private updateStatus(): void {
    const document = vscode.window.activeTextEditor?.document;
    const counts = document !== undefined && isWardDocument(document) ? countWard(vscode.languages.getDiagnostics(document.uri)) : undefined;
    const view = statusView({
      state: this.state,
      enabled: vscode.workspace.getConfiguration(CLIENT_ID).get<boolean>('enable') !== false,
      counts,
      server: this.server === undefined ? undefined : this.server.source === 'bundled' ? 'bundled server' : this.server.path,
    });
    this.statusItem.text = view.text;
    this.statusItem.tooltip = view.tooltip;
    this.statusItem.backgroundColor = view.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  private dumpDiagnostics(file: string): void {
    try {
      const all = vscode.languages
        .getDiagnostics()
        .map(([uri, diagnostics]) => [uri.toString(), diagnostics as readonly DumpableDiagnostic[]] as const);
      writeJsonAtomically(file, dumpDiagnostics(all));
    } catch (error) {
      this.output.warn(`${DIAGNOSTICS_ENV}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private runningClient(): LanguageClient | undefined {
    if (this.client === undefined || this.state !== 'running') {
      void vscode.window.showWarningMessage('Ward: the language server is not running. Run "Ward: Restart Server" or see the Ward output.');
      return undefined;
    }
    return this.client;
  }

  /** Applies the server's `source.fixAll.ward` action (every safe fix) to the active file. */
  private async fixAll(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (editor === undefined || !isWardDocument(editor.document)) {
      void vscode.window.showInformationMessage('Ward: open a CloudFormation template (YAML or JSON) to fix.');
      return;
    }
    if (this.runningClient() === undefined) {
      return;
    }
    const document = editor.document;
    const whole = document.validateRange(new vscode.Range(0, 0, document.lineCount, 0));
    const actions =
      (await vscode.commands.executeCommand<vscode.CodeAction[] | undefined>(
        'vscode.executeCodeActionProvider',
        document.uri,
        whole,
        FIX_ALL_KIND,
      )) ?? [];
    const fixAll = actions.find((action) => action.kind?.value === FIX_ALL_KIND && (action.edit !== undefined || action.command !== undefined));
    if (fixAll === undefined) {
      vscode.window.setStatusBarMessage('Ward: nothing to fix in this file', 4000);
      return;
    }
    if (fixAll.edit !== undefined && !(await vscode.workspace.applyEdit(fixAll.edit))) {
      void vscode.window.showWarningMessage('Ward: the fixes could not be applied (the file changed meanwhile?). Try again.');
      return;
    }
    if (fixAll.command !== undefined) {
      await vscode.commands.executeCommand(fixAll.command.command, ...(fixAll.command.arguments ?? []));
    }
  }

  /** Shows a rule's documentation as a Markdown preview: the rule given, else the one at the cursor, else one picked. */
  private async explainRule(given?: unknown): Promise<void> {
    const client = this.runningClient();
    if (client === undefined) {
      return;
    }
    let rule = typeof given === 'string' && given.trim() !== '' ? given.trim() : undefined;
    if (rule === undefined) {
      const editor = vscode.window.activeTextEditor;
      const here =
        editor === undefined ? [] : rulesAt(vscode.languages.getDiagnostics(editor.document.uri), editor.selection.active);
      rule = here.length === 1 ? here[0] : await this.pickRule(here);
    }
    if (rule === undefined) {
      return;
    }
    let markdown: string;
    try {
      const answer = await client.sendRequest<{ rule?: string; markdown: string }>(RULE_DOCS_METHOD, { rule });
      markdown = answer.markdown;
      rule = answer.rule ?? rule;
    } catch (error) {
      void vscode.window.showErrorMessage(`Ward: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.docs.set(rule, markdown);
    const uri = vscode.Uri.from({ scheme: DOCS_SCHEME, path: docsPath(rule) });
    this.docsChanged.fire(uri);
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      // No Markdown preview (the built-in extension is disabled): show the text.
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document, { preview: true });
    }
  }

  private async ruleDocs(rule: string): Promise<string> {
    const known = this.docs.get(rule);
    if (known !== undefined) {
      return known;
    }
    if (this.client === undefined || this.state !== 'running') {
      return `# ${rule}\n\nThe Ward language server is not running.\n`;
    }
    try {
      const answer = await this.client.sendRequest<{ markdown: string }>(RULE_DOCS_METHOD, { rule });
      this.docs.set(rule, answer.markdown);
      return answer.markdown;
    } catch (error) {
      return `# ${rule}\n\n${error instanceof Error ? error.message : String(error)}\n`;
    }
  }

  /** A quick pick of the rules at the cursor, or of every rule (`cfn-ward rules --format json`). */
  private async pickRule(here: string[]): Promise<string | undefined> {
    type Item = vscode.QuickPickItem & { rule: string };
    let items: Item[];
    if (here.length > 0) {
      items = here.map((rule) => ({ label: rule, rule }));
    } else {
      const rules = this.server === undefined ? [] : parseRuleList(await this.rulesJson(this.server.path));
      items = rules.map((rule) => ({ label: rule.id, description: rule.name, detail: `${rule.title} · ${rule.category}`, rule: rule.id }));
    }
    if (items.length === 0) {
      const typed = await vscode.window.showInputBox({ prompt: 'Ward rule id or name', placeHolder: 'DDB001' });
      return typed?.trim() || undefined;
    }
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Ward: Explain Rule',
      placeHolder: here.length > 0 ? 'Rules of the findings at the cursor' : 'No Ward finding at the cursor: pick a rule',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    return picked?.rule;
  }

  private rulesJson(binary: string): Promise<string> {
    return new Promise((resolve) => {
      execFile(binary, ['rules', '--format', 'json'], { timeout: 10_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
        if (error) {
          this.output.warn(`${binary} rules --format json: ${error.message}`);
        }
        resolve(error ? '' : stdout);
      });
    });
  }
}
