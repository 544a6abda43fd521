import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeOtlpJson, encodeOtlpJson } from '@skein/model';
import { PermanentError, RetryableError } from '../../pipeline/errors.js';
import { makeSpan } from '../../test-support/spans.js';
import { fileSender } from './index.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skein-file-exporter-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('fileSender', () => {
  it('writes one OTLP JSON request per line that decodes back to the same spans', async () => {
    const path = join(dir, 'sub', 'spans.jsonl');
    const sender = fileSender(path);
    const a = [makeSpan({ attributes: [{ key: 'i', value: 7n }, { key: 'd', value: 0.5 }] }), makeSpan()];
    const b = [makeSpan({ status: { code: 2, message: 'x' } })];
    await Promise.all([sender.send(a), sender.send(b)]);
    await sender.close!();
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const back = lines.map((l) => decodeOtlpJson(l).spans);
    expect(back[0]!.map((s) => [s.spanId, s.attributes, s.startTimeUnixNano])).toEqual(a.map((s) => [s.spanId, s.attributes, s.startTimeUnixNano]));
    expect(back[1]![0]!.status).toEqual({ code: 2, message: 'x' });
  });
  it('rotates by size and keeps maxFiles old files', async () => {
    const path = join(dir, 'rot.jsonl');
    const line = Buffer.byteLength(JSON.stringify(encodeOtlpJson([makeSpan({ name: 'op0' })]))) + 1;
    const maxBytes = line * 2 + 10; // two lines per file
    const sender = fileSender(path, { maxBytes, maxFiles: 2 });
    for (let i = 0; i < 8; i++) await sender.send([makeSpan({ name: `op${i}` })]);
    await sender.close!();
    const files = (await readdir(dir)).filter((f) => f.startsWith('rot.jsonl')).sort();
    expect(files).toEqual(['rot.jsonl', 'rot.jsonl.1', 'rot.jsonl.2']);
    const newest = (await readFile(path, 'utf8')).trimEnd().split('\n').map((l) => decodeOtlpJson(l).spans[0]!.name);
    expect(newest.at(-1)).toBe('op7');
    for (const f of files) expect((await readFile(join(dir, f))).length).toBeLessThanOrEqual(maxBytes);
    const all = (await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')))).join('').trimEnd().split('\n');
    expect(all.map((l) => decodeOtlpJson(l).spans[0]!.name).sort()).toEqual(['op2', 'op3', 'op4', 'op5', 'op6', 'op7']);
  });
  it('appends to an existing file and reports unwritable paths as permanent', async () => {
    const path = join(dir, 'existing.jsonl');
    await writeFile(path, '');
    const s = fileSender(path);
    await s.send([makeSpan()]);
    await s.send([makeSpan()]);
    await s.close!();
    expect((await readFile(path, 'utf8')).split('\n').filter(Boolean)).toHaveLength(2);
    const blocked = join(dir, 'afile');
    await writeFile(blocked, 'x');
    await expect(fileSender(join(blocked, 'spans.jsonl')).send([makeSpan()])).rejects.toBeInstanceOf(PermanentError);
    await expect(fileSender(path).send([makeSpan()], AbortSignal.abort())).rejects.toBeInstanceOf(RetryableError);
    expect(() => fileSender('', {})).toThrow(/path is required/);
    expect(() => fileSender(path, { maxFiles: -1 })).toThrow(/maxFiles/);
  });
});
