import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('a deliberately failing suite', () => {
  it('runs inside VS Code', () => {
    assert.ok(vscode.version.length > 0);
  });

  it('fails', () => {
    assert.equal(1 + 1, 3, 'this failure must turn the run red');
  });
});
