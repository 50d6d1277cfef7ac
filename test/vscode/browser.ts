/** Debian's Chromium driven by playwright-core; never a browser that a tool downloads. */
import { Browser, chromium } from 'playwright-core';
import { findTools } from './tools';

const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Keeps the browser from looking up hosts outside this machine.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: findTools().chromium, headless: true, args: chromiumFlags });
}

export const viewport = { width: 1440, height: 900 };
