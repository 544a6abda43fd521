/** OTLP codec benchmark: hand decoder and encoder against protobufjs on 1000-span realistic requests. */

import { decodeOtlpProto } from '../packages/model/src/otlp/proto-decode.js';
import { encodeOtlpProto } from '../packages/model/src/otlp/proto-encode.js';
import { decodeOtlpJson } from '../packages/model/src/otlp/json-decode.js';
import { encodeOtlpJson } from '../packages/model/src/otlp/json-encode.js';
import { makeProtobufjsDecoder, makeRealisticRequest } from './lib/protobufjs-reference.js';
import { median, type BenchRow } from './lib/table.js';

const SPANS = 1000;
const ROUNDS = 7;

/**
 * Spans per CPU-second of `f` over `iters` calls of SPANS spans each. CPU time (GC threads
 * included) rather than wall time, so that neighbours on a shared machine do not skew it.
 */
function rate(f: (i: number) => unknown, iters: number): number {
  const c0 = process.cpuUsage();
  for (let i = 0; i < iters; i++) f(i);
  const c = process.cpuUsage(c0);
  return (iters * SPANS) / ((c.user + c.system) / 1e6);
}

export async function benchCodec(): Promise<BenchRow[]> {
  const batches = [1, 2, 3, 4].map((seed) => makeRealisticRequest(SPANS, seed));
  const bufs = batches.map((b) => encodeOtlpProto(b).slice());
  const jsons = batches.map((b) => JSON.stringify(encodeOtlpJson(b)));
  const pbjs = makeProtobufjsDecoder();
  const cases: Record<string, (i: number) => unknown> = {
    hand: (i) => decodeOtlpProto(bufs[i & 3]!).spans.length,
    protobufjs: (i) => pbjs(bufs[i & 3]!),
    encode: (i) => encodeOtlpProto(batches[i & 3]!).length,
    jsonDecode: (i) => decodeOtlpJson(jsons[i & 3]!).spans.length,
    jsonEncode: (i) => JSON.stringify(encodeOtlpJson(batches[i & 3]!)).length,
  };
  // Sanity: both decoders see every span.
  if (pbjs(bufs[0]!) !== SPANS || decodeOtlpProto(bufs[0]!).spans.length !== SPANS) throw new Error('decoders disagree on the span count');
  for (const f of Object.values(cases)) rate(f, 40); // warm up the JIT
  const rates: Record<string, number[]> = {};
  const ratios: number[] = [];
  // Interleave the cases each round so a noisy neighbour skews them alike.
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, f] of Object.entries(cases)) (rates[name] ??= []).push(rate(f, name.startsWith('json') ? 10 : 40));
    ratios.push(rates.hand!.at(-1)! / rates.protobufjs!.at(-1)!);
  }
  const m = (k: string) => median(rates[k]!);
  const note = `${SPANS}-span requests, ${Math.round(bufs[0]!.length / 1024)} KiB, median of ${ROUNDS}, per CPU-second`;
  return [
    { name: 'otlp-proto hand decode', value: m('hand'), unit: 'spans/s', note },
    { name: 'otlp-proto protobufjs decode', value: m('protobufjs'), unit: 'spans/s', note: 'baseline (reflection types, Long)' },
    { name: 'decode ratio hand/protobufjs', value: median(ratios), unit: 'x', note: 'median of per-round ratios' },
    { name: 'otlp-proto hand encode', value: m('encode'), unit: 'spans/s' },
    { name: 'otlp-json decode (text)', value: m('jsonDecode'), unit: 'spans/s' },
    { name: 'otlp-json encode (to text)', value: m('jsonEncode'), unit: 'spans/s' },
  ];
}
