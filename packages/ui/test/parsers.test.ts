/** Unit tests for the file parsers (OTLP JSON/JSONL, Jaeger, Zipkin), search state and find. */
import { describe, expect, it } from 'vitest';
import { parseText, groupByTrace } from '../src/parse/detect.js';
import { toOtlpJson } from '../src/parse/toOtlp.js';
import { parseTags, searchFromUrl, searchToUrl, defaultSearch } from '../src/api/searchQuery.js';
import { findSpans, parseFind } from '../src/worker/find.js';
import { normId } from '../src/parse/ids.js';

const otlp = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'kata-runtime' } }] },
      scopeSpans: [
        {
          scope: { name: 'katatrace', version: '1' },
          spans: [
            {
              traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'startVM', kind: 2,
              startTimeUnixNano: '1700000000123456789', endTimeUnixNano: '1700000001123456789',
              attributes: [
                { key: 'sandbox', value: { stringValue: '<script>alert(1)</script>' } },
                { key: 'vcpus', value: { intValue: '9007199254740993' } },
                { key: 'ratio', value: { doubleValue: 0.5 } },
                { key: 'ok', value: { boolValue: true } },
                { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: 2 }] } } },
                { key: 'map', value: { kvlistValue: { values: [{ key: 'k', value: { boolValue: false } }] } } },
                { key: 'raw', value: { bytesValue: 'AQI=' } },
              ],
              events: [{ timeUnixNano: '1700000000200000000', name: 'hypervisor started', attributes: [] }],
              status: { code: 'STATUS_CODE_ERROR', message: 'boom' },
            },
            { traceId: 'CvdlGRbNQ92ESOshHIAxnA==', spanId: 'AAAAAAAAAAE=', parentSpanId: 't61rcWkgMzE=', name: 'child', kind: 'SPAN_KIND_CLIENT', startTimeUnixNano: 1700000000300000000, endTimeUnixNano: '1700000000400000000' },
          ],
        },
      ],
    },
  ],
};

describe('OTLP JSON', () => {
  it('keeps types, exact ns, hex or base64 ids, enums as ints or names', () => {
    const { format, spans } = parseText(JSON.stringify(otlp));
    expect(format).toBe('otlp-json');
    const [a, b] = spans;
    expect(a!.startNs).toBe(1700000000123456789n);
    expect(a!.kind).toBe('server');
    expect(a!.status).toEqual({ code: 'ERROR', message: 'boom' });
    expect(a!.scope).toBe('katatrace 1');
    const attr = Object.fromEntries(a!.attributes.map((x) => [x.key, [x.type, x.value]]));
    expect(attr).toEqual({
      sandbox: ['string', '<script>alert(1)</script>'],
      vcpus: ['int', '9007199254740993'],
      ratio: ['double', '0.5'],
      ok: ['bool', 'true'],
      list: ['array', '["a", 2]'],
      map: ['kvlist', '{k: false}'],
      raw: ['bytes', '0102'],
    });
    expect(b!.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(b!.parentSpanId).toBe('b7ad6b7169203331');
    expect(b!.spanId).toBe('0000000000000001');
    expect(b!.kind).toBe('client');
  });

  it('reads JSON Lines and the v3 {result} envelope', () => {
    const line = JSON.stringify(otlp);
    expect(parseText(`${line}\n${line}\n`).format).toBe('otlp-jsonl');
    expect(parseText(JSON.stringify({ result: otlp })).spans).toHaveLength(2);
  });

  it('round-trips through toOtlpJson', () => {
    const { spans } = parseText(JSON.stringify(otlp));
    const again = parseText(JSON.stringify(toOtlpJson(spans))).spans;
    expect(again.map((s) => [s.spanId, s.startNs, s.endNs, s.kind, s.status.code])).toEqual(spans.map((s) => [s.spanId, s.startNs, s.endNs, s.kind, s.status.code]));
    expect(again[0]!.attributes.find((a) => a.key === 'vcpus')).toEqual({ key: 'vcpus', type: 'int', value: '9007199254740993' });
  });

  it('names what is wrong', () => {
    expect(() => parseText('{"resourceSpans": [{"scopeSpans": [{"spans": [{"spanId": "01"}]}]}]}')).toThrow(/resourceSpans\[0\] span 0: traceId and spanId are required/);
    expect(() => parseText('{"hello": 1}')).toThrow(/not a trace format/);
    expect(() => parseText('{"a":\n{"b":')).toThrow(/line 1 is not valid JSON/);
    expect(() => parseText('')).toThrow(/empty/);
  });
});

describe('Jaeger JSON', () => {
  it('reads the /api/traces envelope with processes, references, logs and typed tags', () => {
    const doc = {
      data: [{
        traceID: '5b8aa5a2d2c872e8321cf37308d69df2',
        spans: [
          { traceID: '5b8aa5a2d2c872e8321cf37308d69df2', spanID: '051581bf3cb55c13', operationName: 'root', references: [], startTime: 1700000000000000, duration: 5000, tags: [{ key: 'span.kind', type: 'string', value: 'server' }, { key: 'n', type: 'int64', value: 3 }], logs: [{ timestamp: 1700000000001000, fields: [{ key: 'event', type: 'string', value: 'boot' }] }], processID: 'p1' },
          { traceID: '5b8aa5a2d2c872e8321cf37308d69df2', spanID: '1', operationName: 'kid', references: [{ refType: 'CHILD_OF', traceID: '5b8aa5a2d2c872e8321cf37308d69df2', spanID: '051581bf3cb55c13' }], startTime: 1700000000001000, duration: 1000, tags: [{ key: 'error', type: 'bool', value: true }], processID: 'p2' },
        ],
        processes: { p1: { serviceName: 'kata-runtime', tags: [] }, p2: { serviceName: 'kata-agent', tags: [{ key: 'host', type: 'string', value: 'vm' }] } },
      }],
    };
    const { format, spans } = parseText(JSON.stringify(doc));
    expect(format).toBe('jaeger-json');
    expect(spans[0]).toMatchObject({ service: 'kata-runtime', kind: 'server', startNs: 1700000000000000000n, endNs: 1700000000005000000n });
    expect(spans[0]!.events[0]).toMatchObject({ name: 'boot', timeNs: 1700000000001000000n });
    expect(spans[0]!.attributes[1]).toEqual({ key: 'n', type: 'int', value: '3' });
    expect(spans[1]).toMatchObject({ service: 'kata-agent', parentSpanId: '051581bf3cb55c13', spanId: '0000000000000001', status: { code: 'ERROR' } });
  });
});

describe('Zipkin JSON', () => {
  it('reads v2 span lists, padding 64-bit trace ids', () => {
    const doc = [
      { traceId: '463ac35c9f6413ad', id: '463ac35c9f6413ad', name: 'get /', kind: 'SERVER', timestamp: 1700000000000000, duration: 2000, localEndpoint: { serviceName: 'frontend' }, tags: { 'http.path': '/' } },
      { traceId: '463ac35c9f6413ad', id: '72485a3953bb6124', parentId: '463ac35c9f6413ad', name: 'query', kind: 'CLIENT', timestamp: 1700000000000500, duration: 1000, localEndpoint: { serviceName: 'frontend' }, remoteEndpoint: { serviceName: 'db' }, tags: { error: 'timeout' }, annotations: [{ timestamp: 1700000000000600, value: 'ws' }] },
    ];
    const { format, spans } = parseText(JSON.stringify(doc));
    expect(format).toBe('zipkin-json');
    expect(spans[0]!.traceId).toBe('0000000000000000463ac35c9f6413ad');
    expect(spans[1]).toMatchObject({ kind: 'client', parentSpanId: '463ac35c9f6413ad', status: { code: 'ERROR', message: 'timeout' } });
    expect(spans[1]!.attributes).toContainEqual({ key: 'peer.service', type: 'string', value: 'db' });
    expect(groupByTrace(spans).size).toBe(1);
  });
});

describe('search state and filters', () => {
  it('parses key=value with spaces, = and quotes in values', () => {
    expect(parseTags('http.url=/a?b=c d\nname="quoted value"\n  sandbox = x y  \n')).toEqual({ 'http.url': '/a?b=c d', name: 'quoted value', sandbox: 'x y' });
    expect(parseTags(`msg='it''s'`)).toEqual({ msg: "it''s" });
    expect(() => parseTags('novalue')).toThrow(/key=value/);
  });

  it('round-trips through the URL', () => {
    const s = { ...defaultSearch(), service: 'kata runtime', operation: 'start VM', tags: 'a=b c\nd="e=f"', minDuration: '10ms', limit: 50 };
    expect(searchFromUrl(new URLSearchParams(searchToUrl(s).toString()))).toEqual(s);
  });

  it('find matches text and key=value in attributes', () => {
    const { spans } = parseText(JSON.stringify(otlp));
    expect(parseFind('sandbox="<script>"')).toEqual({ key: 'sandbox', value: '<script>' });
    expect(Array.from(findSpans(spans, 'sandbox=<script>'))).toEqual([0]);
    expect(Array.from(findSpans(spans, 'child'))).toEqual([1]);
    expect(Array.from(findSpans(spans, 'status=error'))).toEqual([0]);
    expect(Array.from(findSpans(spans, 'hypervisor'))).toEqual([0]);
  });

  it('normalises ids', () => {
    expect(normId('ABC', 16)).toBe('0000000000000abc');
    expect(() => normId('zz!', 16)).toThrow(/neither hex nor base64/);
  });
});
