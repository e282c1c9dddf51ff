// The settings panel's state and its mapping to the wasm API's LintOptions.
import type { LintOptions } from './ward-api';

export interface Settings {
  /** Rule ids, names or categories to run (empty: Ward's defaults), separated by commas or spaces. */
  select: string;
  /** Rule ids, names or categories to skip. */
  ignore: string;
  /** `Name=value` per line: the values of template parameters. */
  parameters: string;
  /** `Name=true|false` per line: the values of template conditions. */
  conditions: string;
  /** ward.toml text, layered under the fields above. */
  config: string;
  /** "Fix all" includes unsafe fixes. */
  unsafe: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  select: '',
  ignore: '',
  parameters: '',
  conditions: '',
  config: '',
  unsafe: false,
};

export interface SettingsProblem {
  field: 'parameters' | 'conditions';
  line: number;
  message: string;
}

export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** `key=value` lines (also `key: value`); blank lines and `#` comments are skipped. */
export function parsePairs(
  text: string,
  field: SettingsProblem['field'],
  problems: SettingsProblem[],
): [string, string, number][] {
  const out: [string, string, number][] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (!m || !m[1]) {
      problems.push({ field, line: i + 1, message: `expected Name=value, got \`${line}\`` });
      return;
    }
    out.push([m[1].trim(), unquote(m[2].trim()), i + 1]);
  });
  return out;
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) {
    return value.slice(1, -1);
  }
  return value;
}

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

/** The LintOptions for `settings`; fields left empty are left out, so Ward's defaults apply. */
export function toLintOptions(settings: Settings): { options: LintOptions; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  const options: LintOptions = {};
  if (settings.config.trim()) options.config = settings.config;
  const select = splitList(settings.select);
  if (select.length) options.select = select;
  const ignore = splitList(settings.ignore);
  if (ignore.length) options.ignore = ignore;
  const parameters = parsePairs(settings.parameters, 'parameters', problems);
  if (parameters.length) options.parameters = Object.fromEntries(parameters.map(([k, v]) => [k, v]));
  const conditions: Record<string, boolean> = {};
  parsePairs(settings.conditions, 'conditions', problems).forEach(([name, value, line]) => {
    const v = value.toLowerCase();
    if (TRUE.has(v)) conditions[name] = true;
    else if (FALSE.has(v)) conditions[name] = false;
    else problems.push({ field: 'conditions', line, message: `${name}: expected true or false, got \`${value}\`` });
  });
  if (Object.keys(conditions).length) options.conditions = conditions;
  return { options, problems };
}

/** Settings from an untrusted object (a share link): unknown keys and wrong types are dropped. */
export function normalizeSettings(value: unknown): Settings {
  const out: Settings = { ...DEFAULT_SETTINGS };
  if (!value || typeof value !== 'object') return out;
  const v = value as Record<string, unknown>;
  for (const key of ['select', 'ignore', 'parameters', 'conditions', 'config'] as const) {
    if (typeof v[key] === 'string') out[key] = v[key] as string;
  }
  if (typeof v.unsafe === 'boolean') out.unsafe = v.unsafe;
  return out;
}

/** Only the settings that differ from the defaults (what a share link carries). */
export function changedSettings(settings: Settings): Partial<Settings> {
  const out: Partial<Settings> = {};
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    if (settings[key] !== DEFAULT_SETTINGS[key]) (out as Record<string, unknown>)[key] = settings[key];
  }
  return out;
}
