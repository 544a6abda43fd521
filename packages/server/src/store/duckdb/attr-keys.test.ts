/** The attribute-key dictionary: codes, the bound, and lists mixing coded and spelled-out keys. */
import { describe, expect, it } from 'vitest';
import { AttrKeys, keyCode } from './attr-keys.js';
import { attributePatterns, decodeAttributes, encodeAttributes } from './codec.js';

describe('AttrKeys', () => {
  it('codes ids as letters, never as an escape digit', () => {
    expect([0, 1, 25, 26, 27, 701, 702].map(keyCode)).toEqual(['a', 'b', 'z', 'aa', 'ab', 'zz', 'aaa']);
    const codes = new Set(Array.from({ length: 20_000 }, (_, i) => keyCode(i)));
    expect(codes.size).toBe(20_000);
    for (const c of codes) expect(c).toMatch(/^[a-z]+$/);
  });

  it('spells keys out past its bound, and decodes lists that mix both', () => {
    const keys = new AttrKeys(2);
    const kvs = [
      { key: 'a.key', value: 'x' },
      { key: 'b\x1ekey', value: 1n },
      { key: 'c.key', value: '\x1dodd\x1f' },
      { key: '\x1dd', value: true },
    ];
    const s = encodeAttributes(kvs, keys);
    expect(keys.dictionary.pending.map((p) => p.text)).toEqual(['a.key', 'b\x1ekey']);
    expect(s.startsWith('\x1e\x1da\x1fx\x1fs\x1e\x1db\x1f')).toBe(true);
    expect(decodeAttributes(s, keys)).toEqual(kvs);
    // Patterns: coded for dictionary keys, spelled out for the rest; both when old files spelled all out.
    expect(attributePatterns('a.key', 'x', keys)).toEqual(['\x1e\x1da\x1fx\x1f']);
    expect(attributePatterns('c.key', '\x1dodd\x1f', keys)).toEqual(['\x1ec.key\x1f\x1d0odd\x1d2\x1f']);
    keys.spelledOutBefore = true;
    expect(attributePatterns('a.key', 'x', keys)).toEqual(['\x1e\x1da\x1fx\x1f', '\x1ea.key\x1fx\x1f']);
    for (const kv of kvs) expect(attributePatterns(kv.key, String(kv.value), keys).some((p) => s.includes(p))).toBe(true);
  });

  it('forgets keys whose store failed, and refuses unknown codes', () => {
    const keys = new AttrKeys();
    encodeAttributes([{ key: 'k', value: 1 }], keys);
    keys.dictionary.commit();
    const s = encodeAttributes([{ key: 'new', value: 1 }], keys);
    keys.rollback();
    expect(keys.knownHead('new')).toBeUndefined();
    expect(keys.knownHead('k')).toBe('\x1e\x1da\x1f');
    expect(() => decodeAttributes(s, keys)).toThrow(/attribute key code "b" is not in attr_keys/);
    expect(() => decodeAttributes(s)).toThrow(/coded attribute key/);
    // the forgotten id is given out again
    expect(encodeAttributes([{ key: 'other', value: 1 }], keys)).toBe('\x1e\x1db\x1f1\x1fd\x1e');
    expect(keys.dictionary.pending).toEqual([{ id: 1, text: 'other' }]);
  });
});
