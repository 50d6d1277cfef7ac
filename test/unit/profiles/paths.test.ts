import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { importProfileBytes, mapProfilePaths, mapSourcePath } from '../../../src/core/profiles';

const root = path.resolve(__dirname, '../../../../examples/native-core');

describe('source paths to workspace files', () => {
  const mapping = { workspaceRoots: [root], prefixMap: [['/build/ci/native-core', root]] as [string, string][] };

  it('keeps absolute paths inside the workspace and marks the rest external', () => {
    assert.deepEqual(mapSourcePath(`${root}/rust/wordfreq/src/lib.rs`, mapping), { file: `${root}/rust/wordfreq/src/lib.rs`, external: false });
    assert.deepEqual(mapSourcePath('/usr/include/c++/12/bits/stl_vector.h', mapping), { file: '/usr/include/c++/12/bits/stl_vector.h', external: true });
  });

  it("marks Rust's standard library (/rustc/<hash>/) external", () => {
    const std = '/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/num/uint_macros.rs';
    assert.deepEqual(mapSourcePath(std, mapping), { file: std, external: true });
  });

  it('rewrites build-machine prefixes and finds relative paths under a workspace folder', () => {
    assert.deepEqual(mapSourcePath('/build/ci/native-core/cpp/src/latency.cpp', mapping), { file: `${root}/cpp/src/latency.cpp`, external: false });
    assert.deepEqual(mapSourcePath('./cpp/src/latency.cpp', mapping), { file: `${root}/cpp/src/latency.cpp`, external: false });
    assert.deepEqual(mapSourcePath('src/missing.rs', mapping), { file: 'src/missing.rs', external: true });
  });

  it('resolves `..` in DWARF paths, and finds files built in another checkout by the end of their path', () => {
    assert.deepEqual(mapSourcePath(`${root}/cpp/bench/../src/latency.cpp`, mapping), { file: `${root}/cpp/src/latency.cpp`, external: false });
    // Built in CI, a container or another clone: no setting needed.
    assert.deepEqual(mapSourcePath('/home/runner/work/app/native-core/rust/wordfreq/src/lib.rs', mapping), { file: `${root}/rust/wordfreq/src/lib.rs`, external: false });
    assert.deepEqual(mapSourcePath('/elsewhere/programs/../cpp/src/latency.cpp', mapping), { file: `${root}/cpp/src/latency.cpp`, external: false });
    // A file name alone is not enough, and system files stay system files.
    assert.equal(mapSourcePath('/home/someone/other/lib.rs', mapping).external, true);
    assert.equal(mapSourcePath('/usr/src/native-core/cpp/src/latency.cpp', mapping).external, true);
  });

  it('maps a whole profile', () => {
    const profile = importProfileBytes(
      Buffer.from(
        'app 1/1 [000] 1.0: 1 cpu-clock:\n\t10 shard_of (/bin/app)\n  /build/ci/native-core/rust/wordfreq/src/lib.rs:112\n\t20 fmt (/bin/app)\n  /rustc/0123456789abcdef/library/core/src/fmt/mod.rs:3\n\n',
      ),
      'x.perf',
    );
    const mapped = mapProfilePaths(profile, mapping);
    const shard = mapped.functions.find((f) => f.name === 'shard_of')!;
    assert.deepEqual([shard.file, shard.external], [`${root}/rust/wordfreq/src/lib.rs`, false]);
    assert.equal(mapped.functions.find((f) => f.name === 'fmt')!.external, true);
  });
});
