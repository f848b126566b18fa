import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  checkAccessibility,
  launchBrowser,
  screenshot,
  type Stack,
  startStack,
} from '../src/harness';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

describe('the e2e stack', () => {
  it('serves each built app on its own origin, proxying the API paths', async () => {
    for (const url of [stack.adminUrl, stack.storefrontUrl]) {
      const api = await fetch(`${url}/v1/categories`);
      expect(api.status, url).toBe(200);
      expect((await api.json()).success).toBe(true);
      // The root and client-side routes are the app's index.html.
      for (const path of ['/', '/some/client/route']) {
        const page = await fetch(`${url}${path}`);
        expect(page.status, path).toBe(200);
        expect(await page.text(), path).toContain('<div id="root">');
      }
    }
  });

  it('drives Debian Chromium, screenshots, and finds accessibility problems', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.setContent(
        '<html><head><title>t</title></head><body><h3>Skipped levels</h3><input><button></button></body></html>',
      );
      const problems = await checkAccessibility(page);
      expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(
        ['button-name', 'html-has-lang', 'label', 'page-has-heading-one'].sort(),
      );
      expect(await screenshot(page, 'harness-self-check')).toMatch(/harness-self-check\.png$/);
    } finally {
      await browser.close();
    }
  });
});
