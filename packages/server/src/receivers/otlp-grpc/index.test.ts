/**
 * OTLP/gRPC requests into a DuckDB store go through its ingest worker once the store knows their
 * names and keys, and come back exact; the first ones are decoded here as before.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { storeExporter } from '../../exporters/store/index.js';
import { Pipeline } from '../../pipeline/pipeline.js';
import { DuckDbStore } from '../../store/duckdb/index.js';
import { otelExporter, sendKnownTrace } from '../../test-support/otel.js';
import { otlpGrpcReceiverFactory } from './index.js';

describe('OTLP/gRPC receiver into the DuckDB store', () => {
  it('hands requests to the ingest worker and stores them whole', async () => {
    const store = await DuckDbStore.open({});
    const answers: boolean[] = [];
    const write = store.writeOtlpProto.bind(store);
    store.writeOtlpProto = async (body) => {
      const taken = await write(body);
      answers.push(taken);
      return taken;
    };
    const pipeline = new Pipeline([], [storeExporter(store)]);
    const receiver = otlpGrpcReceiverFactory.create({ endpoint: '127.0.0.1:0' }, { logger: pino({ level: 'silent' }), id: 'otlp-grpc' }, pipeline.head);
    try {
      await receiver.start!();
      const sent = [];
      for (let i = 0; i < 2; i++) sent.push(await sendKnownTrace(otelExporter('grpc', receiver.address!)));
      // The first trace's requests bring new names and keys: decoded here. The second's: the worker.
      expect(answers.slice(0, 3)).toContain(false);
      expect(answers.slice(3)).toEqual([true, true, true]);
      for (const t of sent) {
        const stored = await store.getTrace(t.traceId);
        expect(stored.map((s) => s.spanId).sort()).toEqual(Object.values(t.spanIds).sort());
        const child = stored.find((s) => s.spanId === t.spanIds.child)!;
        expect(child.attributes).toEqual([
          { key: 'db.system', value: 'postgresql' },
          { key: 'db.rows', value: 3n },
        ]);
        expect(child.events.map((e) => e.name)).toEqual(['row fetched']);
      }
    } finally {
      await receiver.shutdown!();
      await store.close();
    }
  });
});
