// Ward's findings as CodeMirror diagnostics, and the findings panel's filter.
import type { Action, Diagnostic } from '@codemirror/lint';
import type { EditorView } from '@codemirror/view';
import type { Edit, Finding, Fix, LintResult, Severity, SyntaxError } from './ward-api';

export interface DiagnosticHooks {
  /** Applies a fix's edits (in the coordinates of the linted text). */
  applyFix(view: EditorView, fix: Fix): void;
  /** The tooltip's content for a finding (built in the browser only). */
  render?(view: EditorView, finding: Finding): Node;
}

export function severityOf(severity: string): Diagnostic['severity'] {
  return severity === 'error' || severity === 'warning' || severity === 'info' ? severity : 'hint';
}

export function fixLabel(fix: Fix): string {
  return fix.applicability === 'unsafe' ? `${fix.title} (unsafe)` : fix.title;
}

/** A range clamped to [0, length] with from <= to. */
function clamp(from: number, to: number, length: number): { from: number; to: number } {
  const f = Math.max(0, Math.min(from, length));
  return { from: f, to: Math.max(f, Math.min(to, length)) };
}

export function findingToDiagnostic(finding: Finding, docLength: number, hooks: DiagnosticHooks): Diagnostic {
  const actions: Action[] = [];
  for (const fix of [finding.fix, finding.suppress]) {
    if (fix && fix.edits.length) {
      actions.push({
        // A suppression changes no behaviour: no "(unsafe)" on it, whatever its applicability says.
        name: fix === finding.suppress ? fix.title : fixLabel(fix),
        markClass: fix === finding.suppress ? 'ward-action-suppress' : `ward-action-fix ward-action-${fix.applicability}`,
        apply: (view) => hooks.applyFix(view, fix),
      });
    }
  }
  const render = hooks.render;
  return {
    ...clamp(finding.start.offset, finding.end.offset, docLength),
    severity: severityOf(finding.severity),
    source: 'ward',
    message: `${finding.rule}: ${finding.message}`,
    markClass: `ward-rule-${finding.rule}`,
    renderMessage: render ? (view) => render(view, finding) : undefined,
    actions,
  };
}

export function syntaxErrorToDiagnostic(error: SyntaxError, docLength: number): Diagnostic {
  return {
    ...clamp(error.start.offset, error.end.offset, docLength),
    severity: 'error',
    source: 'ward',
    message: `${error.fatal ? 'Syntax error' : 'Template error'}: ${error.message}`,
    markClass: 'ward-syntax-error',
  };
}

export function toDiagnostics(result: LintResult, docLength: number, hooks: DiagnosticHooks): Diagnostic[] {
  const out = [
    ...result.errors.map((e) => syntaxErrorToDiagnostic(e, docLength)),
    ...result.findings.map((f) => findingToDiagnostic(f, docLength, hooks)),
  ];
  return out.sort((a, b) => a.from - b.from || a.to - b.to);
}

/** CodeMirror changes for a fix's edits: sorted, as `view.dispatch({changes})` wants them. */
export function editsToChanges(edits: readonly Edit[]): { from: number; to: number; insert: string }[] {
  return [...edits]
    .sort((a, b) => a.from - b.from || a.to - b.to)
    .map(({ from, to, insert }) => ({ from, to, insert }));
}

export interface FindingFilter {
  severities: ReadonlySet<Severity>;
  /** '' = every category. */
  category: string;
  /** Case-insensitive text in the rule id, title, message or resource; '' = no text filter. */
  text?: string;
}

export function filterFindings(findings: readonly Finding[], filter: FindingFilter): Finding[] {
  const text = (filter.text ?? '').trim().toLowerCase();
  return findings.filter(
    (f) =>
      filter.severities.has(f.severity) &&
      (!filter.category || f.category === filter.category) &&
      (!text || [f.rule, f.title, f.message, f.resource ?? ''].some((s) => s.toLowerCase().includes(text))),
  );
}

/** Counts by severity, for the summary line. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) if (f.severity in counts) counts[f.severity]++;
  return counts;
}

/** The smallest single change that turns `before` into `after` (keeps the cursor and undo sensible). */
export function minimalChange(before: string, after: string): { from: number; to: number; insert: string } | null {
  if (before === after) return null;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) {
    endB--;
    endA--;
  }
  return { from: start, to: endB, insert: after.slice(start, endA) };
}

/** "yaml" or "json": JSON when the first non-blank character is `{`. */
export function detectLanguage(text: string): 'yaml' | 'json' {
  const m = /\S/.exec(text);
  return m && m[0] === '{' ? 'json' : 'yaml';
}
