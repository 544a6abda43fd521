/**
 * fileSender: appends one OTLP/JSON ExportTraceServiceRequest per line (JSONL) to a file, synced
 * before `send` resolves, and rotates it by size: `spans.jsonl` -> `spans.jsonl.1` -> ... -> `.N`.
 */
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { encodeOtlpJson, type Span } from '@skein/model';
import { PermanentError, RetryableError } from '../../pipeline/errors.js';
import type { Sender } from '../sender.js';

export interface FileSenderOptions {
  /** Rotate before a line would take the file past this size (default 100 MiB). */
  maxBytes?: number;
  /** Rotated files kept besides the live one (default 5); the oldest is deleted. */
  maxFiles?: number;
}

/** Full disks and I/O hiccups may pass; a path we may not write to will not. */
const TRANSIENT = new Set(['ENOSPC', 'EIO', 'EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY', 'EDQUOT']);

function fileError(name: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const msg = `${name}: ${(err as Error).message}`;
  return TRANSIENT.has(code) ? new RetryableError(msg) : new PermanentError(msg);
}

export function fileSender(path: string, opts: FileSenderOptions = {}): Sender {
  if (!path) throw new Error('file exporter: a path is required, e.g. file:/var/lib/skein/spans.jsonl');
  const maxBytes = opts.maxBytes ?? 100 * 1024 * 1024;
  const maxFiles = opts.maxFiles ?? 5;
  if (!(maxBytes > 0)) throw new Error(`file exporter: maxBytes must be positive, got ${maxBytes}`);
  if (!(maxFiles >= 0) || !Number.isInteger(maxFiles)) throw new Error(`file exporter: maxFiles must be a whole number >= 0, got ${maxFiles}`);
  const name = `file ${path}`;
  let fh: FileHandle | undefined;
  let size = 0;
  /** Sends are serialised so lines never interleave and rotation sees a settled size. */
  let queue: Promise<void> = Promise.resolve();

  async function openFile(): Promise<FileHandle> {
    if (fh) return fh;
    await mkdir(dirname(path), { recursive: true });
    fh = await open(path, 'a');
    size = (await fh.stat()).size;
    return fh;
  }

  async function rotate(): Promise<void> {
    await fh?.close();
    fh = undefined;
    if (maxFiles === 0) {
      await rm(path, { force: true });
      return;
    }
    await rm(`${path}.${maxFiles}`, { force: true });
    for (let i = maxFiles - 1; i >= 1; i--) {
      const from = `${path}.${i}`;
      if (await stat(from).then(() => true, () => false)) await rename(from, `${path}.${i + 1}`);
    }
    await rename(path, `${path}.1`);
  }

  async function write(spans: Span[]): Promise<void> {
    const line = Buffer.from(JSON.stringify(encodeOtlpJson(spans)) + '\n');
    await openFile();
    if (size > 0 && size + line.length > maxBytes) await rotate();
    const f = await openFile();
    await f.write(line);
    await f.datasync();
    size += line.length;
  }

  return {
    name,
    send(spans: Span[], signal?: AbortSignal): Promise<void> {
      if (spans.length === 0) return Promise.resolve();
      const run = queue.then(() => {
        if (signal?.aborted) throw new RetryableError(`${name}: aborted before writing`);
        return write(spans).catch((err: unknown) => {
          // Reopen next time: the handle may be the cause.
          void fh?.close().catch(() => {});
          fh = undefined;
          throw fileError(name, err);
        });
      });
      queue = run.catch(() => {});
      return run;
    },
    async close() {
      await queue;
      await fh?.close();
      fh = undefined;
    },
  };
}
