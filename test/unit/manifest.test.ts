import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { settingKinds } from '../../src/extension/settingKinds';
import { benchTools, profilers, taskKinds } from '../../src/extension/taskDefinition';

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('extension manifest', () => {
  it('never activates on everything', () => {
    assert.ok(!manifest.activationEvents.includes('*'));
    assert.ok(manifest.activationEvents.some((event: string) => event.includes('Cargo.toml')));
    assert.ok(manifest.activationEvents.some((event: string) => event.includes('CMakeLists.txt')));
  });

  it('accepts VS Code 1.139 (code-server 4.139.1)', () => {
    const floor = /^\^1\.(\d+)\.\d+$/.exec(manifest.engines.vscode);
    assert.ok(floor && Number(floor[1]) <= 139, manifest.engines.vscode);
    const typesVersion = /(\d+)\.(\d+)/.exec(manifest.devDependencies['@types/vscode'])!;
    assert.ok(Number(typesVersion[2]) <= Number(floor![1]), '@types/vscode must not be newer than the engine floor');
  });

  it('names its commands perfLab.* with the Perf Lab category', () => {
    for (const command of manifest.contributes.commands) {
      assert.match(command.command, /^perfLab\.[a-zA-Z]+(\.[a-zA-Z]+)?$/);
      assert.equal(command.category, 'Perf Lab');
    }
    for (const key of Object.keys(manifest.contributes.configuration.properties)) assert.match(key, /^perfLab\./);
  });

  it('has the Perf Lab container with Ideas, Benchmarks, Targets, Profiles and Experiments, each with welcome text', () => {
    assert.deepEqual(
      manifest.contributes.viewsContainers.activitybar.map((c: { title: string }) => c.title),
      ['Perf Lab'],
    );
    const views = manifest.contributes.views.perfLab.map((view: { name: string }) => view.name);
    assert.deepEqual(views, ['Ideas', 'Benchmarks', 'Targets', 'Profiles', 'Experiments']);
    const welcomed = manifest.contributes.viewsWelcome.map((entry: { view: string }) => entry.view);
    assert.deepEqual(
      welcomed,
      manifest.contributes.views.perfLab.map((view: { id: string }) => view.id),
    );
  });

  it('runs nothing from an untrusted workspace', () => {
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  });

  it('reads each setting as package.json declares it, and no undeclared one', () => {
    const declared = manifest.contributes.configuration.properties as Record<string, { type: string; enum?: string[]; items?: { type: string } }>;
    assert.deepEqual(
      Object.keys(settingKinds)
        .map((key) => `perfLab.${key}`)
        .sort(),
      Object.keys(declared).sort(),
    );
    for (const [key, kind] of Object.entries(settingKinds)) {
      const declaration = declared[`perfLab.${key}`]!;
      if (Array.isArray(kind)) assert.deepEqual(declaration.enum, kind, key);
      else if (kind === 'string[]') assert.deepEqual([declaration.type, declaration.items?.type], ['array', 'string'], key);
      else assert.equal(declaration.type, kind, key);
    }
  });

  it('declares the task definitions Perf Lab runs', () => {
    const [definition] = manifest.contributes.taskDefinitions;
    assert.equal(definition.type, 'perf-lab');
    assert.deepEqual([...definition.properties.kind.enum].sort(), [...taskKinds].sort());
    assert.deepEqual([...definition.properties.tool.enum].sort(), [...benchTools].sort());
    assert.deepEqual([...definition.properties.profiler.enum].sort(), [...profilers].sort());
  });

  it('packages only what the extension needs', () => {
    const lines = readFileSync(path.join(root, '.vscodeignore'), 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'));
    assert.equal(lines[0], '**', '.vscodeignore starts by excluding everything (an allow-list)');
    assert.deepEqual(lines.slice(1).sort(), ['!CHANGELOG.md', '!LICENSE', '!README.md', '!dist/**/*.css', '!dist/**/*.js', '!media/**', '!package.json'].sort());
  });
});
