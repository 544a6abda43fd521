/**
 * Serves one framed-stream connection: frames are decoded and handed to the pipeline one at a
 * time, the socket paused meanwhile (TCP backpressure instead of unbounded buffering). The stream
 * has no answers, so refused or bad frames are counted and logged (rate-limited), not replied to.
 */
import type { Socket } from 'node:net';
import { decodeOtlpProto } from '@skein/model';
import type { Logger } from 'pino';
import type { Consumer } from '../../pipeline/component.js';
import { FrameDecoder, FrameTooLargeError, type HeaderBytes } from './frames.js';

export interface FramedStats {
  connections: number;
  frames: number;
  spans: number;
  /** Frames that did not decode as OTLP. */
  badFrames: number;
  /** Frames the pipeline refused (spool full, disk failing). */
  refusedFrames: number;
  /** Connections closed for an oversized frame. */
  oversized: number;
}

export const newFramedStats = (): FramedStats => ({ connections: 0, frames: 0, spans: 0, badFrames: 0, refusedFrames: 0, oversized: 0 });

export interface FramedConnectionOptions {
  headerBytes: HeaderBytes;
  maxFrameBytes: number;
  logger: Logger;
  stats: FramedStats;
  /** Where the connection came in, for log lines. */
  via: string;
}

let lastWarnAt = 0;
function warnSometimes(logger: Logger, fields: Record<string, unknown>, msg: string): void {
  const now = Date.now();
  if (now - lastWarnAt < 10_000) return;
  lastWarnAt = now;
  logger.warn(fields, msg);
}

/** Starts reading frames from `socket`; `initial` holds bytes already read from it (protocol sniffing). */
export function serveFramedConnection(socket: Socket, next: Consumer, o: FramedConnectionOptions, initial?: Buffer): void {
  o.stats.connections++;
  const decoder = new FrameDecoder(o.headerBytes, o.maxFrameBytes);
  const queue: Buffer[] = [];
  let busy = false;
  let ended = false;

  const pump = async () => {
    if (busy) return;
    busy = true;
    socket.pause();
    while (queue.length > 0) {
      const frame = queue.shift()!;
      if (frame.length === 0) continue; // keep-alive
      o.stats.frames++;
      let spans;
      try {
        spans = decodeOtlpProto(frame).spans;
      } catch (err) {
        o.stats.badFrames++;
        warnSometimes(o.logger, { via: o.via, err: (err as Error).message }, 'framed: a frame is not an OTLP ExportTraceServiceRequest; skipped');
        continue;
      }
      try {
        await next.consume(spans);
        o.stats.spans += spans.length;
      } catch (err) {
        o.stats.refusedFrames++;
        warnSometimes(o.logger, { via: o.via, err: (err as Error).message, spans: spans.length }, 'framed: spans refused (no way to tell the sender)');
      }
    }
    busy = false;
    if (!ended) socket.resume();
  };

  const onData = (chunk: Buffer) => {
    try {
      queue.push(...decoder.push(chunk));
    } catch (err) {
      if (!(err instanceof FrameTooLargeError)) throw err;
      o.stats.oversized++;
      o.logger.warn({ via: o.via, length: err.length, max: err.max }, `framed: ${err.message}; closing the connection`);
      socket.destroy();
      return;
    }
    void pump();
  };
  socket.on('data', onData);
  socket.on('error', () => undefined);
  socket.on('close', () => {
    ended = true;
  });
  if (initial && initial.length > 0) onData(initial);
  socket.resume();
}
