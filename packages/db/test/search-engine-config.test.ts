import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import {
  engineReadsWord,
  engineText,
  parseSearchEngineUrl,
  searchdConfig,
  shardIndexes,
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

  it('reads sphinxql://host:port/index[?shards=N]', () => {
    expect(parseSearchEngineUrl('sphinxql://search:9306/products')).toEqual({
      host: 'search',
      port: 9306,
      index: 'products',
      shards: 1,
    });
    expect(parseSearchEngineUrl('sphinxql://127.0.0.1')).toEqual({
      host: '127.0.0.1',
      port: 9306,
      index: 'products',
      shards: 1,
    });
    expect(parseSearchEngineUrl('sphinxql://search:9306/catalog?shards=4')).toEqual({
      host: 'search',
      port: 9306,
      index: 'catalog',
      shards: 4,
    });
    expect(() => parseSearchEngineUrl('mysql://127.0.0.1:9306/products')).toThrow(/sphinxql/);
    for (const shards of ['0', '17', '1.5', 'two'])
      expect(() => parseSearchEngineUrl(`sphinxql://search/products?shards=${shards}`)).toThrow(
        /shards to be a whole number from 1 to 16/,
      );
    expect(() => parseSearchEngineUrl('sphinxql://search/products?replicas=2')).toThrow(
      /unknown option replicas/,
    );
  });

  it('splits the index into shards behind a distributed index of its name, searched on as many threads', () => {
    const config = searchdConfig({ ...PRODUCTION, shards: 2 });
    const indexes = [...config.matchAll(/^index (\w+)\n\{\n([^}]*)\}/gm)].map(([, name, body]) => ({
      name,
      type: /type = (\w+)/.exec(body!)?.[1],
      path: /path = (\S+)/.exec(body!)?.[1],
      locals: [...body!.matchAll(/local = (\w+)/g)].map(([, local]) => local),
    }));
    expect(indexes).toEqual([
      { name: 'products_0', type: 'rt', path: '/var/lib/manticore/products_0', locals: [] },
      { name: 'products_1', type: 'rt', path: '/var/lib/manticore/products_1', locals: [] },
      {
        name: 'products',
        type: 'distributed',
        path: undefined,
        locals: ['products_0', 'products_1'],
      },
    ]);
    // Each shard is the one index's definition but for its name and path.
    const body = (text: string, name: string) =>
      new RegExp(`^index ${name}\\n\\{\\n([^}]*)\\}`, 'm').exec(text)![1]!.replace(/path = .*/, '');
    expect(body(config, 'products_1')).toBe(body(searchdConfig(PRODUCTION), 'products'));
    expect(config).toMatch(/dist_threads = 2\n\}/);
    expect(searchdConfig(PRODUCTION)).not.toMatch(/dist_threads|distributed/);
    expect(shardIndexes({ index: 'products', shards: 1 })).toEqual(['products']);
    expect(shardIndexes({ index: 'products', shards: 3 })).toEqual([
      'products_0',
      'products_1',
      'products_2',
    ]);
  });
});
