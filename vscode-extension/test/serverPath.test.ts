import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bundledBinary,
  expandSetting,
  type FileProbe,
  missingMessage,
  type ResolveInput,
  resolveServer,
  searchPath,
} from '../src/serverPath';

/** A fake file system: the executable files are the ones listed. */
function probe(...executables: string[]): FileProbe & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    isExecutableFile(file: string): boolean {
      asked.push(file);
      return executables.includes(file);
    },
  };
}

function input(overrides: Partial<ResolveInput>): ResolveInput {
  return {
    setting: '',
    trusted: true,
    extensionPath: '/ext',
    platform: 'linux',
    arch: 'x64',
    pathEnv: '/usr/local/bin:/usr/bin',
    homedir: '/home/dev',
    workspaceFolder: '/work/project',
    probe: probe(),
    ...overrides,
  };
}

describe('resolveServer', () => {
  it('uses ward.server.path first in a trusted workspace', () => {
    const result = resolveServer(
      input({ setting: '/opt/ward/cfn-ward', probe: probe('/opt/ward/cfn-ward', '/ext/bin/linux-x64/cfn-ward') }),
    );
    assert.equal(result.kind, 'found');
    assert.ok(result.kind === 'found');
    assert.equal(result.path, '/opt/ward/cfn-ward');
    assert.equal(result.source, 'setting');
  });

  it('expands ~ and workspace-relative setting values', () => {
    const home = resolveServer(input({ setting: '~/bin/cfn-ward', probe: probe('/home/dev/bin/cfn-ward') }));
    assert.ok(home.kind === 'found' && home.path === '/home/dev/bin/cfn-ward');
    const relative = resolveServer(input({ setting: 'target/debug/cfn-ward', probe: probe('/work/project/target/debug/cfn-ward') }));
    assert.ok(relative.kind === 'found' && relative.path === '/work/project/target/debug/cfn-ward');
    const variable = resolveServer(
      input({ setting: '${workspaceFolder}/bin/cfn-ward', probe: probe('/work/project/bin/cfn-ward') }),
    );
    assert.ok(variable.kind === 'found' && variable.path === '/work/project/bin/cfn-ward');
  });

  it('reports a setting that names no executable instead of falling back', () => {
    const fake = probe('/ext/bin/linux-x64/cfn-ward');
    const result = resolveServer(input({ setting: '/nowhere/cfn-ward', probe: fake }));
    assert.equal(result.kind, 'missing');
    assert.ok(result.kind === 'missing');
    assert.equal(result.settingProblem, true);
    assert.deepEqual(result.tried, ['ward.server.path: /nowhere/cfn-ward (not an executable file)']);
    assert.deepEqual(fake.asked, ['/nowhere/cfn-ward']);
    assert.match(missingMessage(result), /Fix the ward.server.path setting/);
  });

  it('reports a relative setting without a workspace folder', () => {
    const result = resolveServer(input({ setting: 'bin/cfn-ward', workspaceFolder: undefined }));
    assert.ok(result.kind === 'missing' && result.settingProblem);
    assert.match(result.tried[0] ?? '', /needs an open workspace folder/);
  });

  it('ignores ward.server.path in an untrusted workspace and says so', () => {
    const result = resolveServer(
      input({ setting: '/evil/cfn-ward', trusted: false, probe: probe('/evil/cfn-ward', '/ext/bin/linux-x64/cfn-ward') }),
    );
    assert.ok(result.kind === 'found');
    assert.equal(result.source, 'bundled');
    assert.equal(result.path, '/ext/bin/linux-x64/cfn-ward');
    assert.match(result.notes[0] ?? '', /ignored because this workspace is not trusted/);
  });

  it('uses the bundled binary when there is no setting', () => {
    const result = resolveServer(input({ probe: probe('/ext/bin/linux-x64/cfn-ward', '/usr/bin/cfn-ward') }));
    assert.ok(result.kind === 'found');
    assert.equal(result.source, 'bundled');
  });

  it('uses the bundled binary of the running platform only', () => {
    const result = resolveServer(input({ arch: 'arm64', probe: probe('/ext/bin/linux-x64/cfn-ward', '/usr/bin/cfn-ward') }));
    assert.ok(result.kind === 'found');
    assert.equal(result.source, 'path');
    assert.equal(result.path, '/usr/bin/cfn-ward');
  });

  it('falls back to cfn-ward on PATH, first folder first', () => {
    const result = resolveServer(input({ probe: probe('/usr/bin/cfn-ward', '/usr/local/bin/cfn-ward') }));
    assert.ok(result.kind === 'found');
    assert.equal(result.source, 'path');
    assert.equal(result.path, '/usr/local/bin/cfn-ward');
    assert.deepEqual(result.tried, [
      'bundled: /ext/bin/linux-x64/cfn-ward (not in this build of the extension for linux-x64)',
      'PATH: /usr/local/bin/cfn-ward',
    ]);
  });

  it('says what it tried when nothing is found', () => {
    const result = resolveServer(input({}));
    assert.ok(result.kind === 'missing');
    assert.equal(result.settingProblem, false);
    assert.deepEqual(result.tried, [
      'bundled: /ext/bin/linux-x64/cfn-ward (not in this build of the extension for linux-x64)',
      'PATH: no cfn-ward in 2 folders',
    ]);
    const message = missingMessage(result);
    assert.match(message, /no cfn-ward language server found/);
    assert.match(message, /bundled: \/ext\/bin\/linux-x64\/cfn-ward/);
    assert.match(message, /Set ward.server.path/);
  });

  it('handles Windows paths and the .exe suffix', () => {
    const result = resolveServer(
      input({
        platform: 'win32',
        extensionPath: 'C:\\ext',
        pathEnv: 'C:\\Windows;"C:\\Tools"',
        homedir: 'C:\\Users\\dev',
        workspaceFolder: 'C:\\work',
        probe: probe('C:\\Tools\\cfn-ward.exe'),
      }),
    );
    assert.ok(result.kind === 'found');
    assert.equal(result.path, 'C:\\Tools\\cfn-ward.exe');
    assert.equal(bundledBinary('C:\\ext', 'win32', 'x64'), 'C:\\ext\\bin\\win32-x64\\cfn-ward.exe');
  });
});

describe('searchPath', () => {
  it('skips empty and relative PATH entries', () => {
    const fake = probe('./cfn-ward', 'bin/cfn-ward', '/opt/bin/cfn-ward');
    const result = searchPath(':.:bin::/opt/bin', 'linux', fake);
    assert.equal(result.found, '/opt/bin/cfn-ward');
    assert.equal(result.folders, 1);
    assert.deepEqual(fake.asked, ['/opt/bin/cfn-ward']);
  });

  it('copes with an unset PATH', () => {
    assert.deepEqual(searchPath(undefined, 'linux', probe()), { found: undefined, folders: 0 });
  });
});

describe('expandSetting', () => {
  it('normalises absolute paths and resolves relative ones', () => {
    assert.equal(expandSetting(' /a/../b/cfn-ward ', 'linux', '/h', undefined), '/b/cfn-ward');
    assert.equal(expandSetting('~', 'linux', '/h', undefined), '/h');
    assert.equal(expandSetting('x/cfn-ward', 'linux', '/h', undefined), undefined);
    assert.equal(expandSetting('${workspaceFolder}/x', 'linux', '/h', undefined), undefined);
  });
});
