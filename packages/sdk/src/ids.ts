/** Fast random trace and span ids: slices of the hex of a pooled crypto buffer, refilled in bulk. */

import { randomFillSync } from 'node:crypto';

const POOL = Buffer.alloc(8192);
let hex = '';
let pos = POOL.length * 2;
const ZERO = '0'.repeat(32);

function take(n: number): string {
  if (pos + n > hex.length) {
    randomFillSync(POOL);
    hex = POOL.toString('hex');
    pos = 0;
  }
  const s = hex.substring(pos, pos + n);
  pos += n;
  // An all-zero id is invalid; the chance is 2^-64, but the contract is cheap to keep.
  return s.charCodeAt(0) === 48 && s === ZERO.substring(0, n) ? take(n) : s;
}

export const newTraceId = (): string => take(32);
export const newSpanId = (): string => take(16);
