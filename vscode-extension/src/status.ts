// The status bar item's text and tooltip, from the server state and the active file's Ward
// diagnostics. Pure, unit-tested; extension.ts feeds it and paints the item.

export type ServerState = 'starting' | 'running' | 'stopped' | 'error';

/** The fields of a diagnostic this module looks at (vscode.Diagnostic has them). */
export interface DiagnosticLike {
  source?: string;
  code?: string | number | { value: string | number };
}

export const WARD_SOURCE = 'ward';
export const SYNTAX_CODE = 'syntax';

export function codeOf(diagnostic: DiagnosticLike): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) {
    return undefined;
  }
  return String(typeof code === 'object' ? code.value : code);
}

/** Ward's findings and syntax errors among a file's diagnostics. */
export function countWard(diagnostics: readonly DiagnosticLike[]): { findings: number; syntax: number } {
  let findings = 0;
  let syntax = 0;
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== WARD_SOURCE) {
      continue;
    }
    if (codeOf(diagnostic) === SYNTAX_CODE) {
      syntax += 1;
    } else {
      findings += 1;
    }
  }
  return { findings, syntax };
}

export interface StatusInput {
  state: ServerState;
  /** `ward.enable`. */
  enabled: boolean;
  /** The active editor's Ward counts; undefined when no YAML or JSON file is active. */
  counts: { findings: number; syntax: number } | undefined;
  /** Where the server came from, for the tooltip ("bundled", a path …). */
  server?: string;
}

export interface StatusView {
  text: string;
  tooltip: string;
  /** Paint the item with the error background. */
  error: boolean;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function statusView(input: StatusInput): StatusView {
  const server = input.server ? ` (${input.server})` : '';
  const click = 'Click to show the Ward output.';
  switch (input.state) {
    case 'starting':
      return { text: '$(loading~spin) Ward', tooltip: `Ward: starting the language server${server}. ${click}`, error: false };
    case 'stopped':
      return { text: '$(circle-slash) Ward', tooltip: `Ward: the language server is stopped. ${click}`, error: false };
    case 'error':
      return { text: '$(error) Ward', tooltip: `Ward: the language server could not run. ${click}`, error: true };
    case 'running':
      break;
  }
  if (!input.enabled) {
    return { text: '$(circle-slash) Ward: off', tooltip: `Ward: diagnostics are turned off (ward.enable). ${click}`, error: false };
  }
  const running = `Ward: running${server}.`;
  if (input.counts === undefined) {
    return { text: '$(shield) Ward', tooltip: `${running} ${click}`, error: false };
  }
  const { findings, syntax } = input.counts;
  const parts: string[] = [];
  if (findings > 0) {
    parts.push(plural(findings, 'finding'));
  }
  if (syntax > 0) {
    parts.push(plural(syntax, 'syntax error'));
  }
  const inFile = parts.length === 0 ? 'No Ward findings in this file.' : `${parts.join(' and ')} in this file.`;
  const text = syntax > 0 ? `$(error) Ward: ${findings}` : findings > 0 ? `$(warning) Ward: ${findings}` : '$(shield) Ward: 0';
  return { text, tooltip: `${running} ${inFile} ${click}`, error: false };
}
