import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import {
  engineReadsWord,
  engineText,
  parseSearchEngineUrl,
  searchdConfig,
} from '../src/search-engine';

/** What infra/search/manticore.conf must hold: the index every test's searchd serves. */
const PRODUCTION = {
  index: 'products',
  dataDir: '/var/lib/manticore',
  port: 9306,
  host: '0.0.0.0',
};

describe("the search engine's configuration", () => {
  it('is the same in infra/search/manticore.conf as in every test', async () => {
    const file = await readFile(
      fileURLToPath(new URL('../../../infra/search/manticore.conf', import.meta.url)),
      'utf8',
    );
    // Its header comment aside.
    expect(file.replace(/^(#.*\n)+\n/, '')).toBe(searchdConfig(PRODUCTION));
  });

  it('folds case and Latin accents and splits letters from digits, as the other paths read words', () => {
    const config = searchdConfig(PRODUCTION);
    expect(config).toContain('U+C9->U+65'); // É is e
    expect(config).toContain('U+410->U+430'); // Cyrillic А is а
    expect(engineText('USB3 hub, 4K screen, Café')).toBe('USB 3 hub, 4 K screen, Café');
    expect(engineText(null)).toBe('');
    for (const word of ['usb3', 'café', 'Straße', 'москва', 'αθήνα'])
      expect(engineReadsWord(word), word).toBe(true);
    for (const word of ['東京', 'مرحبا', 'नमस्ते', '٣'])
      expect(engineReadsWord(word), word).toBe(false);
  });

  it('reads sphinxql://host:port/index', () => {
    expect(parseSearchEngineUrl('sphinxql://search:9306/products')).toEqual({
      host: 'search',
      port: 9306,
      index: 'products',
    });
    expect(parseSearchEngineUrl('sphinxql://127.0.0.1')).toEqual({
      host: '127.0.0.1',
      port: 9306,
      index: 'products',
    });
    expect(() => parseSearchEngineUrl('mysql://127.0.0.1:9306/products')).toThrow(/sphinxql/);
  });
});
