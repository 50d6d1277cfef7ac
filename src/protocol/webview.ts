/**
 * Messages between the extension and the flame-graph webview: one union per direction,
 * discriminated by `type`. Imported by both the Node and the browser bundles, so it must not
 * import anything.
 */

/** Extension → webview. */
export type ToFlameWebview = { type: 'showMessage'; text: string };

/** Webview → extension. */
export type FromFlameWebview = { type: 'ready' };
