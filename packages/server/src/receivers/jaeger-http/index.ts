/** The Jaeger collector's thrift HTTP endpoint: POST /api/traces (14268 by default). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeJaegerBatch } from '@skein/model';
import type { Consumer } from '../../pipeline/component.js';
import { readBody } from '../http/body.js';
import { HttpError, errorToAnswer } from '../http/errors.js';
import { httpReceiverFactory, type HttpReceiverConfig } from '../http/receiver.js';
import { answerText } from '../zipkin/handler.js';

export const JAEGER_TRACES_PATH = '/api/traces';
const THRIFT_TYPES = new Set(['application/x-thrift', 'application/vnd.apache.thrift.binary']);

export type JaegerHttpReceiverConfig = HttpReceiverConfig;

/** Answers 202 once consumed (as Jaeger's collector does), 400/413/415/429/503 with a text message. */
export function createJaegerHttpHandler(next: Consumer, opts: { maxBodyBytes?: number } = {}) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0]!;
    try {
      if (path !== JAEGER_TRACES_PATH) throw new HttpError(404, `no such path ${path}: Jaeger thrift batches go to POST ${JAEGER_TRACES_PATH}`);
      if (req.method !== 'POST') throw new HttpError(405, `use POST for ${path}`, { allow: 'POST' });
      const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!THRIFT_TYPES.has(type)) {
        throw new HttpError(415, `unsupported Content-Type "${type}": use application/x-thrift (binary-protocol jaeger.thrift Batch)`);
      }
      const body = await readBody(req, opts.maxBodyBytes);
      const spans = decodeJaegerBatch(body, 'binary');
      if (spans.length > 0) await next.consume(spans);
      answerText(res, 202, '');
    } catch (err) {
      const e = errorToAnswer(res, err);
      if (!e) return;
      answerText(res, e.status, e.status === 400 ? `malformed Jaeger thrift Batch: ${e.message}` : e.message, e.headers);
    }
  };
}

export const jaegerHttpReceiverFactory = httpReceiverFactory<JaegerHttpReceiverConfig>('jaeger-http', '127.0.0.1:14268', 'Jaeger thrift HTTP receiver', (config, next) =>
  createJaegerHttpHandler(next, { maxBodyBytes: config.maxBodyBytes }),
);
