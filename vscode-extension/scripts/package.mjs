#!/usr/bin/env node
// `npm run package`: builds vscode-extension/ward.vsix, a platform-specific VSIX for this machine
// (linux-x64 here) that carries the cfn-ward language server built from this workspace.
//
//   1. cargo build --release -p cfn-ward --locked at the repository root (CARGO_TARGET_DIR and
//      .cargo/config are honoured: the binary is found through `cargo metadata`);
//   2. copy it to bin/<platform>-<arch>/cfn-ward (mode 755), removing other platforms' binaries;
//   3. bundle src/extension.ts and vscode-languageclient into dist/extension.js with esbuild;
//   4. vsce package --target <platform>-<arch> --no-dependencies -o ward.vsix. Relative links in
//      README.md are kept relative (no repository URL to rewrite them to): VS Code shows the
//      README from the installed extension, where images/screenshot.png is beside it.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const extensionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(extensionDir, '..');
const target = `${process.platform}-${process.arch}`;
const exe = process.platform === 'win32' ? 'cfn-ward.exe' : 'cfn-ward';
const vsix = path.join(extensionDir, 'ward.vsix');

function step(message) {
  console.log(`--> ${message}`);
}

function run(command, args, options = {}) {
  return execFileSync(command, args, { stdio: 'inherit', ...options });
}

step(`cargo build --release -p cfn-ward (${target})`);
run('cargo', ['build', '--release', '-p', 'cfn-ward', '--locked'], { cwd: repoRoot });
const metadata = JSON.parse(
  execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps', '--locked'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  }),
);
const built = path.join(metadata.target_directory, 'release', exe);
if (!fs.existsSync(built)) {
  throw new Error(`cargo built no ${built}`);
}

step(`bin/${target}/${exe}`);
const binDir = path.join(extensionDir, 'bin');
fs.rmSync(binDir, { recursive: true, force: true });
fs.mkdirSync(path.join(binDir, target), { recursive: true });
const bundled = path.join(binDir, target, exe);
fs.copyFileSync(built, bundled);
fs.chmodSync(bundled, 0o755);
console.log(execFileSync(bundled, ['--version'], { encoding: 'utf8' }).trim());

step('esbuild: dist/extension.js');
fs.rmSync(path.join(extensionDir, 'dist'), { recursive: true, force: true });
run('npm', ['run', '--silent', 'bundle'], { cwd: extensionDir });

step(`vsce package --target ${target}: ${path.relative(repoRoot, vsix)}`);
fs.rmSync(vsix, { force: true });
run(
  path.join(extensionDir, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce'),
  ['package', '--target', target, '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix],
  { cwd: extensionDir },
);
