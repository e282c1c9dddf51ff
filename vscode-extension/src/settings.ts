// VS Code's `ward.*` settings, as `workspace.getConfiguration('ward')` nests them, mapped to the
// shape the language server reads from `workspace/configuration` (README "Settings"):
//
//   {enable, rules: {select, ignore}, severity, parameters, conditions, docsBaseUrl?}
//
// The extension's own keys (`server.path`, `trace.server`) are left out. Values are reshaped, not
// judged: the server checks rule ids, severities and parameter values and logs what it drops, so
// a typo shows up in the Ward output instead of silently disappearing here. Pure, unit-tested.

export interface ServerSettings {
  enable: boolean;
  rules: { select: unknown[]; ignore: unknown[] };
  severity: Record<string, unknown>;
  parameters: Record<string, unknown>;
  conditions: Record<string, unknown>;
  docsBaseUrl?: string;
}

/** The keys the server reads; the others under `ward` belong to the extension. */
export const SERVER_KEYS = ['enable', 'rules', 'severity', 'parameters', 'conditions', 'docsBaseUrl'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A rule list: an array as is (strings trimmed, empty ones dropped), or a comma-separated string. */
function ruleList(value: unknown): unknown[] {
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [];
  const out: unknown[] = [];
  for (const item of items) {
    if (typeof item === 'string') {
      const trimmed = item.trim();
      if (trimmed !== '') {
        out.push(trimmed);
      }
    } else if (item !== null && item !== undefined) {
      out.push(item);
    }
  }
  return out;
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? { ...value } : {};
}

/** Maps the raw `ward` section (any JSON value) to the server's settings. */
export function toServerSettings(raw: unknown): ServerSettings {
  const section = isRecord(raw) ? raw : {};
  const rules = record(section.rules);
  const settings: ServerSettings = {
    enable: typeof section.enable === 'boolean' ? section.enable : true,
    rules: { select: ruleList(rules.select), ignore: ruleList(rules.ignore) },
    severity: record(section.severity),
    parameters: record(section.parameters),
    conditions: record(section.conditions),
  };
  if (typeof section.docsBaseUrl === 'string' && section.docsBaseUrl.trim() !== '') {
    settings.docsBaseUrl = section.docsBaseUrl.trim();
  }
  return settings;
}

/**
 * Rewrites the answer to a `workspace/configuration` request: the items asking for the `ward`
 * section get the server's shape, the others are left alone.
 */
export function mapConfigurationResult(
  items: ReadonlyArray<{ section?: string }>,
  results: readonly unknown[],
): unknown[] {
  return results.map((result, index) => (items[index]?.section === 'ward' ? toServerSettings(result) : result));
}

/** Whether a configuration change needs a new server process rather than new settings. */
export function needsRestart(affects: (section: string) => boolean): boolean {
  return affects('ward.server.path');
}

/** Whether `ward.trace.server` asks for a protocol trace. */
export function traceOn(value: unknown): boolean {
  return value === 'messages' || value === 'verbose';
}
