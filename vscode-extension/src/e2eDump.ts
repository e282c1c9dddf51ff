// Environment-gated state dumps for the end-to-end test (vscode-extension/e2e/). They do nothing
// unless the variables are set in the environment of VS Code's extension host, which inherits
// code-server's environment:
//
// WARD_E2E_DIAGNOSTICS_FILE=<file>  On activation and on every vscode.languages.onDidChangeDiagnostics,
//   the file is replaced by a JSON array of every file that has Ward diagnostics (source "ward");
//   a file without any is absent:
//     [{"uri": "file:///…/template.yaml",
//       "diagnostics": [{"code": "DDB001", "source": "ward", "message": "…",
//                        "severity": "warning",            // "error" | "warning" | "information" | "hint"
//                        "range": {"start": {"line": 8, "character": 4},
//                                  "end": {"line": 8, "character": 14}}}]}]
//   Lines and characters are 0-based, characters in UTF-16 code units, as in VS Code's API.
//
// WARD_E2E_STATE_FILE=<file>  On every change of the language client's state, the file is
//   replaced by {"state": "starting" | "running" | "stopped" | "error",
//                "server": "/path/to/cfn-ward" | null, "source": "bundled" | "setting" | "path" | null}.
//
// Each write goes to a temporary file in the same folder that is then renamed over the target,
// so a reader never sees half a file. Pure apart from writeJsonAtomically; unit-tested.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeOf, type DiagnosticLike, WARD_SOURCE } from './status';

export const DIAGNOSTICS_ENV = 'WARD_E2E_DIAGNOSTICS_FILE';
export const STATE_ENV = 'WARD_E2E_STATE_FILE';

export interface Position {
  line: number;
  character: number;
}

/** The fields of a vscode.Diagnostic that the dump reads. */
export interface DumpableDiagnostic extends DiagnosticLike {
  message: string;
  /** vscode.DiagnosticSeverity: 0 error, 1 warning, 2 information, 3 hint. */
  severity: number;
  range: { start: Position; end: Position };
}

export interface DumpedDiagnostic {
  code: string | null;
  source: string;
  message: string;
  severity: string;
  range: { start: Position; end: Position };
}

export interface DumpedFile {
  uri: string;
  diagnostics: DumpedDiagnostic[];
}

const SEVERITIES = ['error', 'warning', 'information', 'hint'];

export function severityName(severity: number): string {
  return SEVERITIES[severity] ?? String(severity);
}

/** The dump of `vscode.languages.getDiagnostics()` (as [uri string, diagnostics] pairs). */
export function dumpDiagnostics(all: ReadonlyArray<readonly [string, readonly DumpableDiagnostic[]]>): DumpedFile[] {
  const files: DumpedFile[] = [];
  for (const [uri, diagnostics] of all) {
    const ward = diagnostics
      .filter((diagnostic) => diagnostic.source === WARD_SOURCE)
      .map((diagnostic) => ({
        code: codeOf(diagnostic) ?? null,
        source: WARD_SOURCE,
        message: diagnostic.message,
        severity: severityName(diagnostic.severity),
        range: {
          start: { line: diagnostic.range.start.line, character: diagnostic.range.start.character },
          end: { line: diagnostic.range.end.line, character: diagnostic.range.end.character },
        },
      }));
    if (ward.length > 0) {
      files.push({ uri, diagnostics: ward });
    }
  }
  files.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  return files;
}

let sequence = 0;

/** Writes `value` as JSON to `file` through a temporary file and a rename. */
export function writeJsonAtomically(file: string, value: unknown): void {
  sequence += 1;
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${sequence}.tmp`);
  fs.writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
  fs.renameSync(temporary, file);
}
