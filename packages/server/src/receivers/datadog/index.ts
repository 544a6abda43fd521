/** The Datadog agent receiver: the trace intake tracers send to (8126 by default). */
import type { Receiver, ReceiverFactory } from '../../pipeline/component.js';
import { httpReceiver, type HttpReceiverConfig } from '../http/receiver.js';
import { createDatadogHandler, type DatadogStats } from './handler.js';

export interface DatadogReceiverConfig extends HttpReceiverConfig {
  /** Keep traces whose sampling priority is <= 0 (default false: they are dropped and counted). */
  keepRejected?: boolean;
}

export interface DatadogReceiver extends Receiver {
  readonly stats: DatadogStats;
}

export const datadogReceiverFactory: ReceiverFactory<DatadogReceiverConfig> = {
  type: 'datadog',
  createDefaultConfig: () => ({ endpoint: '127.0.0.1:8126' }),
  create(config, ctx, next): DatadogReceiver {
    const stats: DatadogStats = { droppedTraces: 0, payloads: {} };
    const handle = createDatadogHandler(next, { maxBodyBytes: config.maxBodyBytes, keepRejected: config.keepRejected }, stats);
    // Object.assign keeps the receiver's address getter and adds the stats beside it.
    return Object.assign(httpReceiver(config, ctx, 'Datadog agent receiver', handle), { stats });
  },
};
