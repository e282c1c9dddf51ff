// Checks package.json against the code and the parser: every command is registered, every
// setting documented, and `yaml.customTags` names every short form Ward's YAML parser accepts.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const extensionSource = fs.readFileSync(path.join(root, 'src', 'extension.ts'), 'utf8');

describe('package.json', () => {
  it('declares exactly the commands the extension registers, under the Ward category', () => {
    const declared = manifest.contributes.commands.map((command: { command: string }) => command.command).sort();
    const registered = [...extensionSource.matchAll(/registerCommand\('([^']+)'/g)].map((match) => match[1]).sort();
    assert.deepEqual(declared, ['ward.explainRule', 'ward.fixAll', 'ward.restartServer', 'ward.showOutput']);
    assert.deepEqual(registered, declared);
    for (const command of manifest.contributes.commands) {
      assert.equal(command.category, 'Ward');
      assert.ok(command.title.length > 0);
    }
  });

  it('declares and documents the settings', () => {
    const properties = manifest.contributes.configuration.properties;
    for (const key of [
      'ward.enable',
      'ward.server.path',
      'ward.rules.select',
      'ward.rules.ignore',
      'ward.severity',
      'ward.parameters',
      'ward.conditions',
      'ward.trace.server',
    ]) {
      assert.ok(properties[key], `${key} is declared`);
      assert.ok(properties[key].description || properties[key].markdownDescription, `${key} has a description`);
      assert.ok('default' in properties[key], `${key} has a default`);
    }
    assert.deepEqual(properties['ward.trace.server'].enum, ['off', 'messages', 'verbose']);
    assert.deepEqual(properties['ward.severity'].additionalProperties.enum, ['error', 'warning', 'info']);
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ['ward.server.path']);
  });

  it('activates on YAML and JSON and bundles to dist/extension.js', () => {
    assert.deepEqual(manifest.activationEvents, ['onLanguage:yaml', 'onLanguage:json']);
    assert.equal(manifest.main, './dist/extension.js');
    assert.equal(manifest.engines.vscode, '^1.91.0');
  });

  it('pins exact dependency versions', () => {
    for (const [name, version] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
      assert.match(String(version), /^\d+\.\d+\.\d+$/, `${name}@${String(version)} is exact`);
    }
    assert.equal(manifest.devDependencies['@types/vscode'], '1.91.0');
    assert.equal(manifest.devDependencies['@vscode/vsce'], '3.9.2');
    assert.equal(manifest.dependencies['vscode-languageclient'], '11.0.0');
  });
});

describe('yaml.customTags default', () => {
  const tags: string[] = manifest.contributes.configurationDefaults['yaml.customTags'];

  it('is in Red Hat YAML format: "!Tag kind", lower-case kinds, no duplicates', () => {
    assert.equal(new Set(tags).size, tags.length);
    for (const tag of tags) {
      assert.match(tag, /^![A-Za-z0-9]+ (scalar|sequence|mapping)$/, tag);
    }
  });

  it('covers the forms CloudFormation templates use', () => {
    for (const tag of [
      '!Ref scalar',
      '!Sub scalar',
      '!Sub sequence',
      '!GetAtt scalar',
      '!GetAtt sequence',
      '!If sequence',
      '!Equals sequence',
      '!And sequence',
      '!Or sequence',
      '!Not sequence',
      '!Join sequence',
      '!Select sequence',
      '!Split sequence',
      '!FindInMap sequence',
      '!Base64 scalar',
      '!Base64 mapping',
      '!Cidr sequence',
      '!GetAZs scalar',
      '!ImportValue scalar',
      '!ImportValue mapping',
      '!Condition scalar',
      '!Transform mapping',
    ]) {
      assert.ok(tags.includes(tag), `${tag} is listed`);
    }
  });

  it("names every short form of Ward's YAML parser", (t) => {
    const parser = path.resolve(root, '..', 'core', 'src', 'syntax', 'yaml.rs');
    if (!fs.existsSync(parser)) {
      t.skip('core/src/syntax/yaml.rs is not beside the extension');
      return;
    }
    const text = fs.readFileSync(parser, 'utf8');
    const table = text.slice(text.indexOf('const SHORT_FORMS'), text.indexOf('];', text.indexOf('const SHORT_FORMS')));
    const forms = [...table.matchAll(/\("([A-Za-z0-9]+)", "/g)].map((match) => match[1]);
    assert.ok(forms.length >= 20, `read ${forms.length} short forms`);
    const named = new Set(tags.map((tag) => tag.split(' ')[0]?.slice(1)));
    for (const form of forms) {
      assert.ok(named.has(form), `!${form} is in yaml.customTags`);
    }
    for (const name of named) {
      assert.ok(forms.includes(name ?? ''), `!${name} is a short form Ward knows`);
    }
  });
});
