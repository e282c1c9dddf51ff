// "Explain Rule": which rule the cursor is on, and the rule list for the quick pick. Pure,
// unit-tested.

import { codeOf, type DiagnosticLike, SYNTAX_CODE, WARD_SOURCE } from './status';

export interface Position {
  line: number;
  character: number;
}

export interface RangedDiagnostic extends DiagnosticLike {
  range: { start: Position; end: Position };
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** The rule ids of the Ward diagnostics whose range holds `position` (ends included), in order, once each. */
export function rulesAt(diagnostics: readonly RangedDiagnostic[], position: Position): string[] {
  const rules: string[] = [];
  for (const diagnostic of diagnostics) {
    const code = codeOf(diagnostic);
    if (diagnostic.source !== WARD_SOURCE || code === undefined || code === SYNTAX_CODE) {
      continue;
    }
    const { start, end } = diagnostic.range;
    if (!before(position, start) && !before(end, position) && !rules.includes(code)) {
      rules.push(code);
    }
  }
  return rules;
}

export interface RuleSummary {
  id: string;
  name: string;
  title: string;
  category: string;
}

/** The rules in `cfn-ward rules --format json` output ({"rules": [{id, name, title, category, …}]}). */
export function parseRuleList(stdout: string): RuleSummary[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null) {
    return [];
  }
  const rules = (parsed as { rules?: unknown }).rules;
  if (!Array.isArray(rules)) {
    return [];
  }
  const out: RuleSummary[] = [];
  for (const rule of rules) {
    if (typeof rule === 'object' && rule !== null && typeof (rule as { id?: unknown }).id === 'string') {
      const r = rule as Record<string, unknown>;
      out.push({
        id: String(r.id),
        name: typeof r.name === 'string' ? r.name : '',
        title: typeof r.title === 'string' ? r.title : '',
        category: typeof r.category === 'string' ? r.category : '',
      });
    }
  }
  return out;
}

/** The read-only document URI path that shows a rule's docs: `/<RULE>.md`, so the tab reads "DDB001.md". */
export function docsPath(rule: string): string {
  return `/${rule.replace(/[^A-Za-z0-9_-]/g, '_')}.md`;
}

/** The rule id back from a docs document's path. */
export function ruleOfDocsPath(docPath: string): string {
  return docPath.replace(/^\//, '').replace(/\.md$/, '');
}
