/** The waterfall's pager: only for a terminal and text taller than it, through a real pager process. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pagerFor, writePaged } from './pager.js';

const tall = Array.from({ length: 30 }, (_, i) => `row ${i}\n`).join('');
const tty = (rows = 24) => {
  const written: string[] = [];
  return { isTTY: true, rows, write: (t: string) => written.push(t), written };
};

describe('pagerFor', () => {
  it('pages only text taller than a terminal, with the pager the environment names', () => {
    expect(pagerFor(tall, tty(), {})).toBe('less -FRX');
    expect(pagerFor(tall, tty(), { PAGER: 'more' })).toBe('more');
    expect(pagerFor(tall, tty(), { SKEIN_PAGER: 'most', PAGER: 'more' })).toBe('most');
    expect(pagerFor(tall, tty(40), {})).toBeUndefined(); // fits
    expect(pagerFor(tall, { ...tty(), isTTY: false }, {})).toBeUndefined(); // a pipe or a file
    expect(pagerFor(tall, tty(), { SKEIN_PAGER: '' })).toBeUndefined(); // turned off
  });
});

describe('writePaged', () => {
  it('hands tall text to the pager process, short text straight to the terminal', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'skein-pager-'));
    try {
      const file = join(dir, 'paged.txt');
      const out = tty();
      await writePaged(tall, out, { SKEIN_PAGER: `cat > '${file}'` });
      expect(await readFile(file, 'utf8')).toBe(tall);
      expect(out.written).toEqual([]);
      await writePaged('one line\n', out, { SKEIN_PAGER: `cat > '${file}'` });
      expect(out.written).toEqual(['one line\n']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('prints the text itself when the pager cannot be run', async () => {
    const out = tty();
    await writePaged(tall, out, { SKEIN_PAGER: 'no-such-pager-here' });
    expect(out.written).toEqual([tall]);
  });
});
