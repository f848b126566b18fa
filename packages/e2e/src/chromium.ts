import { existsSync } from 'node:fs';

/** Where the browser tests find Chromium: Debian's package unless CHROMIUM_PATH says otherwise. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/**
 * Why the browser tests cannot start, in words that say how to fix it, or
 * undefined when the binary is there. playwright-core alone would fail with
 * a bare "Failed to launch: ENOENT" and suggest downloading a browser, which
 * these tests never do.
 */
export function missingChromium(path = chromiumPath()): string | undefined {
  if (existsSync(path)) return undefined;
  return [
    `Chromium is not installed at ${path}, and the browser tests (packages/e2e) drive it.`,
    'On Debian: `sudo apt-get update && sudo apt-get install -y chromium` (about 2 minutes).',
    'On Ubuntu, where chromium is a snap: `sudo snap install chromium`, then CHROMIUM_PATH=/snap/bin/chromium.',
    'Elsewhere, point CHROMIUM_PATH at a Chromium or Chrome binary.',
  ].join('\n');
}
