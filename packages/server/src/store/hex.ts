/** Lowercase hex ids checked and parsed without regexes or substrings (hot path of every write), for every store. */

const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) HEX[97 + i] = 10 + i;

/** Whether s is exactly `digits` lowercase hex digits. */
export function isHex(s: string, digits: number): boolean {
  if (s.length !== digits) return false;
  for (let i = 0; i < digits; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || HEX[c]! < 0) return false;
  }
  return true;
}

/** The 8 hex digits of an already checked id starting at `at`, as a 32-bit value (bit pattern). */
export function hexWord(s: string, at: number): number {
  let v = 0;
  for (let i = at; i < at + 8; i++) v = (v << 4) | HEX[s.charCodeAt(i)]!;
  return v;
}

/**
 * Stores keep ids as lowercase hex of the canonical length (receivers have normalised them);
 * anything else is refused before it reaches a row, naming the span and the field.
 */
export function checkSpanIds(s: { name: string; traceId: string; spanId: string; parentSpanId: string }): void {
  const bad = (field: string, id: string, digits: number) =>
    new Error(`span ${JSON.stringify(s.name)} has a malformed id: ${field} ${JSON.stringify(id)} is not ${digits} lowercase hex digits`);
  if (!isHex(s.traceId, 32)) throw bad('trace id', s.traceId, 32);
  if (!isHex(s.spanId, 16)) throw bad('span id', s.spanId, 16);
  if (s.parentSpanId !== '' && !isHex(s.parentSpanId, 16)) throw bad('parent span id', s.parentSpanId, 16);
}
