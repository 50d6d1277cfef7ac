import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '../../..');

/** The messages ESLint (this repository's config) gives a file of `code` at `file`. */
async function lint(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.map((message) => `${message.ruleId}: ${message.message}`);
}

describe('the layers, as ESLint enforces them in npm test', () => {
  it('core imports neither vscode nor protocol nor a process layer', async () => {
    assert.match((await lint('src/core/profiles/x.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n")).join('\n'), /no-restricted-imports: .*only src\/extension/);
    assert.match((await lint('src/core/profiles/x.ts', "import type { ToFlameWebview } from '../../protocol/webview';\nexport type T = ToFlameWebview;\n")).join('\n'), /core is below protocol/);
    assert.match((await lint('src/core/x.ts', "import { IdeasService } from '../../server/ideasService';\nexport const s = IdeasService;\n")).join('\n'), /core imports no process layer/);
  });

  it('the server, the CLI and the webview stay out of each other and of vscode', async () => {
    assert.match((await lint('server/x.ts', "import { errorText } from '../src/extension/languageServer';\nexport const e = errorText;\n")).join('\n'), /the server uses core and protocol only/);
    assert.match((await lint('src/cli/x.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n")).join('\n'), /only src\/extension/);
    assert.match((await lint('webview/flame/x.ts', "import { parseIdeas } from '../../src/core/ideas';\nexport const p = parseIdeas;\n")).join('\n'), /the webview imports protocol types/);
  });

  it('allowed imports pass: the extension uses core and protocol, the webview core/format', async () => {
    assert.deepEqual(
      await lint(
        'src/extension/x.ts',
        "import * as vscode from 'vscode';\nimport { formatP } from '../core/format';\nimport { IdeasRequest } from '../protocol/lsp';\nexport const all = [vscode, formatP, IdeasRequest];\n",
      ),
      [],
    );
    assert.deepEqual(await lint('webview/deltas/x.ts', "import { formatMeasurement } from '../../src/core/format';\nexport const f = formatMeasurement;\n"), []);
  });
});
