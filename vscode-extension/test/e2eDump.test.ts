import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { type DumpableDiagnostic, dumpDiagnostics, severityName, writeJsonAtomically } from '../src/e2eDump';

function diagnostic(source: string, code: DumpableDiagnostic['code'], severity: number): DumpableDiagnostic {
  return {
    source,
    code,
    message: `${String(code)} message`,
    severity,
    range: { start: { line: 8, character: 4 }, end: { line: 8, character: 14 } },
  };
}

describe('dumpDiagnostics', () => {
  it('keeps Ward diagnostics only, by file, in the documented shape', () => {
    const dump = dumpDiagnostics([
      ['file:///b.yaml', [diagnostic('ward', 'DDB001', 1), diagnostic('YAML', 'x', 0)]],
      ['file:///a.yaml', [diagnostic('ward', { value: 'syntax' }, 0)]],
      ['file:///c.json', [diagnostic('json', 1, 0)]],
    ]);
    assert.deepEqual(dump, [
      {
        uri: 'file:///a.yaml',
        diagnostics: [
          {
            code: 'syntax',
            source: 'ward',
            message: '[object Object] message',
            severity: 'error',
            range: { start: { line: 8, character: 4 }, end: { line: 8, character: 14 } },
          },
        ],
      },
      {
        uri: 'file:///b.yaml',
        diagnostics: [
          {
            code: 'DDB001',
            source: 'ward',
            message: 'DDB001 message',
            severity: 'warning',
            range: { start: { line: 8, character: 4 }, end: { line: 8, character: 14 } },
          },
        ],
      },
    ]);
  });

  it('names VS Code severities', () => {
    assert.deepEqual([0, 1, 2, 3, 9].map(severityName), ['error', 'warning', 'information', 'hint', '9']);
  });
});

describe('writeJsonAtomically', () => {
  it('replaces the file whole and leaves no temporary file', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ward-dump-'));
    try {
      const file = path.join(folder, 'diagnostics.json');
      writeJsonAtomically(file, [{ uri: 'a' }]);
      writeJsonAtomically(file, { state: 'running' });
      assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { state: 'running' });
      assert.deepEqual(fs.readdirSync(folder), ['diagnostics.json']);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
