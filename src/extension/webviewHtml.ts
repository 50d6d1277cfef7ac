import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** Webview options: scripts on, resources only from the extension's dist/webview and media folders. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/**
 * A webview page under a strict Content Security Policy: only the extension's stylesheets, and
 * only the one bundle script carrying this page's nonce. No inline code, no markup from data.
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: { title: string; script: string[]; styles: string[][] }): string {
  const nonce = randomBytes(18).toString('base64');
  const asset = (segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource} data:; style-src ${webview.cspSource}; font-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${page.styles.map((style) => `<link rel="stylesheet" href="${asset(style)}">`).join('\n')}
<title>${page.title.replace(/[<>&"]/g, '')}</title>
</head>
<body>
<script nonce="${nonce}" src="${asset(page.script)}"></script>
</body>
</html>`;
}
