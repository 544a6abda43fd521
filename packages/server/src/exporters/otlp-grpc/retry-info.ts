/** Reads google.rpc.RetryInfo out of a gRPC error's `grpc-status-details-bin` trailer. */
import { ProtoReader } from '@skein/model';

const RETRY_INFO_TYPE = 'type.googleapis.com/google.rpc.RetryInfo';

/** The delay of google.rpc.RetryInfo { Duration retry_delay = 1 } in ms, if the Status carries one. */
export function retryDelayFromStatusDetails(details: Uint8Array): number | undefined {
  try {
    // google.rpc.Status { int32 code = 1; string message = 2; repeated Any details = 3 }
    const r = new ProtoReader(details);
    while (r.pos < r.end) {
      const tag = r.tag();
      if (tag >>> 3 !== 3 || (tag & 7) !== 2) {
        r.skip(tag & 7);
        continue;
      }
      const outer = r.enter();
      let type = '';
      let value: Uint8Array | undefined;
      while (r.pos < r.end) {
        const t = r.tag();
        if (t === ((1 << 3) | 2)) type = r.string();
        else if (t === ((2 << 3) | 2)) value = r.bytes();
        else r.skip(t & 7);
      }
      r.leave(outer);
      if (type === RETRY_INFO_TYPE && value) return durationOfRetryInfo(value);
    }
  } catch {
    // unreadable details: no hint
  }
  return undefined;
}

function durationOfRetryInfo(buf: Uint8Array): number | undefined {
  const r = new ProtoReader(buf);
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag !== ((1 << 3) | 2)) {
      r.skip(tag & 7);
      continue;
    }
    const outer = r.enter();
    let seconds = 0n;
    let nanos = 0;
    while (r.pos < r.end) {
      const t = r.tag();
      if (t === 1 << 3) seconds = r.int64();
      else if (t === 2 << 3) nanos = r.uint32() | 0;
      else r.skip(t & 7);
    }
    r.leave(outer);
    return Number(seconds) * 1000 + Math.round(nanos / 1e6);
  }
  return undefined;
}
