import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApi } from './test-support/fixtures.js';
import { startApi } from './test-support/fixtures.js';

let api: TestApi;
beforeAll(async () => {
  api = await startApi([], { maxBodyBytes: 4096 });
});
afterAll(() => api.close());

const upload = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'uploaded' } }] },
      scopeSpans: [
        {
          scope: { name: 'lib' },
          spans: [
            {
              traceId: '5b8efff798038103d269b633813fc60c',
              spanId: 'eee19b7ec3c1b174',
              name: 'upload-root',
              kind: 2,
              startTimeUnixNano: '1700000000000001999',
              endTimeUnixNano: '1700000000002000000',
              attributes: [{ key: 'n', value: { intValue: '7' } }],
            },
          ],
        },
      ],
    },
  ],
};

describe('POST /api/transform', () => {
  it('turns an OTLP/JSON upload into Jaeger JSON traces', async () => {
    const r = await api.post('/api/transform', JSON.stringify(upload));
    expect(r.status).toBe(200);
    const [trace] = r.body.data;
    expect(trace.traceID).toBe('5b8efff798038103d269b633813fc60c');
    expect(trace.spans[0]).toMatchObject({ operationName: 'upload-root', startTime: 1700000000000001, duration: 1998 });
    expect(trace.spans[0].tags).toContainEqual({ key: 'n', type: 'int64', value: 7 });
    expect(trace.processes[trace.spans[0].processID].serviceName).toBe('uploaded');
  });

  it('answers 400 for a body that is not OTLP/JSON and 413 past the size limit', async () => {
    const bad = await api.post('/api/transform', '{"resourceSpans": 12');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].msg).toMatch(/OTLP\/JSON/);
    const empty = await api.post('/api/transform', '');
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].msg).toContain('empty body');
    const big = await api.post('/api/transform', 'x'.repeat(5000));
    expect(big.status).toBe(413);
    expect(big.body.errors[0].msg).toContain('4096');
  });

  it('is POST only', async () => {
    const r = await api.get('/api/transform');
    expect(r.status).toBe(405);
  });
});
