/** The Zipkin receiver: Zipkin's span collection API on its own port (9411 by default). */
import { httpReceiverFactory, type HttpReceiverConfig } from '../http/receiver.js';
import { createZipkinHandler } from './handler.js';

export type ZipkinReceiverConfig = HttpReceiverConfig;

export const zipkinReceiverFactory = httpReceiverFactory<ZipkinReceiverConfig>('zipkin', '127.0.0.1:9411', 'Zipkin receiver', (config, next) =>
  createZipkinHandler(next, { maxBodyBytes: config.maxBodyBytes }),
);
