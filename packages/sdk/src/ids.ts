/** Fast random trace and span ids: hex from a pooled crypto buffer, refilled in bulk. */

import { randomFillSync } from 'node:crypto';

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

const POOL = new Uint8Array(8192);
let pos = POOL.length;

function hex(n: number): string {
  if (pos + n > POOL.length) {
    randomFillSync(POOL);
    pos = 0;
  }
  let s = '';
  const end = pos + n;
  for (let i = pos; i < end; i++) s += HEX[POOL[i]!];
  pos = end;
  // An all-zero id is invalid; the chance is 2^-64, but the contract is cheap to keep.
  return s === '0000000000000000' || s === '00000000000000000000000000000000' ? hex(n) : s;
}

export const newTraceId = (): string => hex(16);
export const newSpanId = (): string => hex(8);
