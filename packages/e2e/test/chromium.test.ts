import { afterEach, describe, expect, it } from 'vitest';

import { missingChromium } from '../src/chromium';
import { launchBrowser } from '../src/harness';

/** Without Chromium the browser tests stop at once, saying how to install it. */
const saved = process.env.CHROMIUM_PATH;
afterEach(() => {
  if (saved === undefined) delete process.env.CHROMIUM_PATH;
  else process.env.CHROMIUM_PATH = saved;
});

describe('a missing Chromium', () => {
  it('is reported with the commands that install it', () => {
    const message = missingChromium('/nowhere/chromium');
    expect(message).toContain('Chromium is not installed at /nowhere/chromium');
    expect(message).toContain('sudo apt-get update && sudo apt-get install -y chromium');
    expect(message).toContain('CHROMIUM_PATH');
  });

  it('stops launchBrowser with that message rather than a launch error', async () => {
    process.env.CHROMIUM_PATH = '/nowhere/chromium';
    await expect(launchBrowser()).rejects.toThrow(missingChromium('/nowhere/chromium')!);
  });

  it('is not reported when the binary is there', () => {
    expect(missingChromium(process.execPath)).toBeUndefined();
  });
});
