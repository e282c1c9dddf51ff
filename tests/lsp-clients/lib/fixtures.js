'use strict';
// Fixture templates and throwaway workspaces for the client tests.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { REPO_ROOT } = require('./client');

const FIXTURES = path.join(__dirname, '..', 'fixtures');

/** The text of tests/lsp-clients/fixtures/<name>, or of a repo-relative path. */
function fixture(name) {
  const local = path.join(FIXTURES, name);
  return fs.readFileSync(fs.existsSync(local) ? local : path.join(REPO_ROOT, name), 'utf8');
}

/** A fresh temporary folder (no ward.toml above it), removed when the test ends. */
function workspace(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ward-lsp-test-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Diagnostics with the given code. */
function withCode(diagnostics, code) {
  return diagnostics.filter((d) => d.code === code);
}

const codes = (diagnostics) => diagnostics.map((d) => d.code);

module.exports = { FIXTURES, fixture, workspace, withCode, codes };
