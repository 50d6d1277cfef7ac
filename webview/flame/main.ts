/**
 * The flame-graph webview (browser bundle). The profiles feature fills in the drawing; for now
 * it shows what the extension sends, as text, and says when it is ready.
 */
import type { FromFlameWebview, ToFlameWebview } from '../../src/protocol/webview';

interface VsCodeApi {
  postMessage(message: FromFlameWebview): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const status = document.createElement('p');
document.body.append(status);

window.addEventListener('message', (event: MessageEvent<ToFlameWebview>) => {
  const message = event.data;
  if (message.type === 'showMessage') status.textContent = message.text; // text, never HTML
});

vscode.postMessage({ type: 'ready' });
