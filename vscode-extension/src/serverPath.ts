// Which `cfn-ward` binary to start. Pure: the file system, environment and platform come in as
// arguments, so every branch is unit-tested without VS Code (test/serverPath.test.ts).
//
// Order: the `ward.server.path` setting (trusted workspaces only), else the binary bundled in the
// extension at bin/<platform>-<arch>/cfn-ward[.exe], else `cfn-ward` on PATH. A setting that
// names no executable file is an error rather than a silent fallback: the user asked for it.

import * as path from 'node:path';

export type ServerSource = 'setting' | 'bundled' | 'path';

/** What the resolver may ask of the file system. */
export interface FileProbe {
  /** True when `file` is a regular file that can be executed. */
  isExecutableFile(file: string): boolean;
}

export interface ResolveInput {
  /** The effective `ward.server.path` value ('' or undefined when unset). */
  setting: string | undefined;
  /** `vscode.workspace.isTrusted`. */
  trusted: boolean;
  /** The extension's install folder. */
  extensionPath: string;
  platform: NodeJS.Platform;
  arch: string;
  /** The PATH environment variable (`Path` on Windows is accepted by the caller). */
  pathEnv: string | undefined;
  homedir: string;
  /** The first workspace folder, for relative setting values. */
  workspaceFolder: string | undefined;
  probe: FileProbe;
}

export type Resolution =
  | { kind: 'found'; path: string; source: ServerSource; tried: string[]; notes: string[] }
  | { kind: 'missing'; tried: string[]; notes: string[]; settingProblem: boolean };

/** The binary's file name on a platform. */
export function binaryName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'cfn-ward.exe' : 'cfn-ward';
}

function pathModule(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** Where a VSIX built for this platform keeps its server. */
export function bundledBinary(extensionPath: string, platform: NodeJS.Platform, arch: string): string {
  return pathModule(platform).join(extensionPath, 'bin', `${platform}-${arch}`, binaryName(platform));
}

/**
 * The setting's value as an absolute path: `~` is the home folder, `${workspaceFolder}` and
 * relative paths are taken from the first workspace folder. Undefined when a relative path has no
 * folder to be relative to.
 */
export function expandSetting(
  value: string,
  platform: NodeJS.Platform,
  homedir: string,
  workspaceFolder: string | undefined,
): string | undefined {
  const p = pathModule(platform);
  let text = value.trim();
  if (text.includes('${workspaceFolder}')) {
    if (workspaceFolder === undefined) {
      return undefined;
    }
    text = text.split('${workspaceFolder}').join(workspaceFolder);
  }
  if (text === '~') {
    text = homedir;
  } else if (text.startsWith('~/') || (platform === 'win32' && text.startsWith('~\\'))) {
    text = p.join(homedir, text.slice(2));
  }
  if (p.isAbsolute(text)) {
    return p.normalize(text);
  }
  return workspaceFolder === undefined ? undefined : p.resolve(workspaceFolder, text);
}

/** `cfn-ward` in the absolute folders of PATH. Relative entries (`.`) are skipped: a workspace must not choose the binary. */
export function searchPath(
  pathEnv: string | undefined,
  platform: NodeJS.Platform,
  probe: FileProbe,
): { found: string | undefined; folders: number } {
  const p = pathModule(platform);
  const delimiter = platform === 'win32' ? ';' : ':';
  const folders = (pathEnv ?? '')
    .split(delimiter)
    .map((folder) => folder.trim().replace(/^"(.*)"$/, '$1'))
    .filter((folder) => folder !== '' && p.isAbsolute(folder));
  for (const folder of folders) {
    const candidate = p.join(folder, binaryName(platform));
    if (probe.isExecutableFile(candidate)) {
      return { found: candidate, folders: folders.length };
    }
  }
  return { found: undefined, folders: folders.length };
}

export function resolveServer(input: ResolveInput): Resolution {
  const tried: string[] = [];
  const notes: string[] = [];
  const setting = (input.setting ?? '').trim();

  if (setting !== '') {
    if (!input.trusted) {
      notes.push(`ward.server.path (${setting}) is ignored because this workspace is not trusted.`);
    } else {
      const expanded = expandSetting(setting, input.platform, input.homedir, input.workspaceFolder);
      if (expanded === undefined) {
        tried.push(`ward.server.path: ${setting} (a relative path needs an open workspace folder)`);
        return { kind: 'missing', tried, notes, settingProblem: true };
      }
      if (input.probe.isExecutableFile(expanded)) {
        tried.push(`ward.server.path: ${expanded}`);
        return { kind: 'found', path: expanded, source: 'setting', tried, notes };
      }
      tried.push(`ward.server.path: ${expanded} (not an executable file)`);
      return { kind: 'missing', tried, notes, settingProblem: true };
    }
  }

  const bundled = bundledBinary(input.extensionPath, input.platform, input.arch);
  if (input.probe.isExecutableFile(bundled)) {
    tried.push(`bundled: ${bundled}`);
    return { kind: 'found', path: bundled, source: 'bundled', tried, notes };
  }
  tried.push(`bundled: ${bundled} (not in this build of the extension for ${input.platform}-${input.arch})`);

  const onPath = searchPath(input.pathEnv, input.platform, input.probe);
  if (onPath.found !== undefined) {
    tried.push(`PATH: ${onPath.found}`);
    return { kind: 'found', path: onPath.found, source: 'path', tried, notes };
  }
  tried.push(`PATH: no ${binaryName(input.platform)} in ${onPath.folders} folder${onPath.folders === 1 ? '' : 's'}`);
  return { kind: 'missing', tried, notes, settingProblem: false };
}

/** The message of the error notification when no server was found. */
export function missingMessage(resolution: Extract<Resolution, { kind: 'missing' }>): string {
  const hint = resolution.settingProblem
    ? 'Fix the ward.server.path setting, or clear it to use the bundled server.'
    : 'Set ward.server.path to a cfn-ward binary, or put cfn-ward on PATH (cargo install --path cli in the Ward repository).';
  return `Ward could not start: no cfn-ward language server found. Tried ${resolution.tried.join('; ')}. ${hint}`;
}
