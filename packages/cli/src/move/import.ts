/**
 * `skein import FILES...`: decodes trace files and writes them in batches to a collector or a
 * data directory, with progress and a summary of what was skipped and why. JSON lines are
 * streamed (a file of millions of spans never sits in memory whole); other formats are
 * documents and are read at once.
 */
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { decodeOtlpJson, type Span } from '@skein/model';
import { CliError, usageError } from '../errors.js';
import { resolveTarget } from '../export/config.js';
import { detectFormat, decodeDocument, formatOf, FORMATS, type Format } from './formats.js';
import { Progress } from './progress.js';
import { duckDbSink, httpSink, type Sink } from './sinks.js';

export interface ImportFlags {
  format?: string;
  endpoint?: string;
  data?: string;
  batch: number;
  quiet?: boolean;
}

export interface ImportSummary {
  spans: number;
  skipped: Map<string, { count: number; first: string }>;
  seconds: number;
}

const MAX_IN_FLIGHT = 4;

export async function importFiles(files: string[], o: ImportFlags): Promise<ImportSummary> {
  const given = o.format === undefined || o.format === 'auto' ? undefined : formatOf(o.format);
  if (given !== undefined && !FORMATS.includes(given as Format)) {
    throw usageError(`--format "${o.format}" is not one of auto, ${FORMATS.join(', ')}`);
  }
  const sizes: number[] = [];
  for (const f of files) {
    try {
      sizes.push((await stat(f)).size);
    } catch {
      throw new CliError('SKEIN_CLI_BAD_INPUT', `cannot read ${f}: no such file (check the path)`);
    }
  }
  const sink: Sink = o.data ? await duckDbSink(o.data) : httpSink(resolveTarget({ endpoint: o.endpoint, protocol: 'http/protobuf' }));
  const progress = new Progress(sizes.reduce((a, b) => a + b, 0), process.stderr, !o.quiet);
  const summary: ImportSummary = { spans: 0, skipped: new Map(), seconds: 0 };
  const skip = (reason: string, count: number, where: string): void => {
    const s = summary.skipped.get(reason);
    if (s) s.count += count;
    else summary.skipped.set(reason, { count, first: where });
  };
  const started = performance.now();
  let doneBytes = 0;
  const inFlight: Array<Promise<void>> = [];
  let batch: Span[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const spans = batch;
    batch = [];
    const p = sink.write(spans).then(() => void (summary.spans += spans.length));
    p.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"
    inFlight.push(p);
    if (inFlight.length >= MAX_IN_FLIGHT) await inFlight.shift();
  };
  const add = async (spans: Span[]): Promise<void> => {
    for (const s of spans) batch.push(s);
    if (batch.length >= o.batch) await flush();
  };

  try {
    for (const [i, file] of files.entries()) {
      const format = (given as Format | undefined) ?? detectFormat(file, await head(file));
      if (!format) {
        skip('format not recognised (pass --format)', 1, file);
        doneBytes += sizes[i]!;
        continue;
      }
      if (format === 'otlp-jsonl') {
        let lineNo = 0;
        let pending = '';
        let fileBytes = 0;
        for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
          fileBytes += Buffer.byteLength(chunk as string);
          pending += chunk as string;
          const lines = pending.split('\n');
          pending = lines.pop()!;
          for (const line of lines) {
            lineNo++;
            await decodeLine(line, `${file}:${lineNo}`);
          }
          progress.update(doneBytes + fileBytes, summary.spans + batch.length);
        }
        if (pending.trim()) await decodeLine(pending, `${file}:${lineNo + 1}`);
      } else {
        let d: ReturnType<typeof decodeDocument> | undefined;
        try {
          d = decodeDocument(format, await readFile(file));
        } catch (e) {
          skip(`unreadable ${format}: ${(e as Error).message.split('\n')[0]!.slice(0, 120)}`, 1, file);
        }
        if (d?.skipped) skip(d.reason || 'invalid spans', d.skipped, file);
        if (d) await add(d.spans);
      }
      doneBytes += sizes[i]!;
      progress.update(doneBytes, summary.spans + batch.length, true);
    }
    await flush();
    await Promise.all(inFlight);
  } finally {
    progress.finish();
    await sink.close().catch(() => undefined);
  }
  summary.seconds = (performance.now() - started) / 1000;
  return summary;

  async function decodeLine(line: string, where: string): Promise<void> {
    if (line.trim() === '') return;
    let d: ReturnType<typeof decodeOtlpJson>;
    try {
      d = decodeOtlpJson(line);
    } catch (e) {
      skip(`not an OTLP JSON line (${(e as Error).message.split('\n')[0]!.slice(0, 80)})`, 1, where);
      return;
    }
    if (d.rejected) skip(d.message.replace(/^rejected \d+ spans? /, 'spans ').slice(0, 120) || 'invalid spans', d.rejected, where);
    await add(d.spans);
  }
}

async function head(file: string): Promise<Uint8Array> {
  const fh = await open(file, 'r');
  try {
    const buf = new Uint8Array(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export function formatSummary(s: ImportSummary, destination: string): string {
  const rate = s.seconds > 0 ? Math.round(s.spans / s.seconds) : s.spans;
  let out = `imported ${s.spans.toLocaleString('en-US')} spans into ${destination} in ${s.seconds.toFixed(1)}s (${rate.toLocaleString('en-US')} spans/s)\n`;
  if (s.skipped.size === 0) return out + 'skipped nothing\n';
  for (const [reason, { count, first }] of s.skipped) out += `skipped ${count.toLocaleString('en-US')}: ${reason} (first at ${first})\n`;
  return out;
}
