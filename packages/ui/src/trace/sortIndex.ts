/** Span indices ordered by a float64 key (start times), stable: a radix sort for big traces. */

/**
 * Indices 0..n-1 sorted by keys[i], ties by index. Keys must be >= 0 (times relative to the
 * trace base), whose IEEE-754 bits order like unsigned integers: four 16-bit LSD radix passes
 * over them sort a million spans in tens of ms, where a comparator sort took ~0.5 s.
 */
export function orderByKey(keys: Float64Array): Int32Array {
  const n = keys.length;
  let idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  let plain = n < 4096 || keys.byteOffset % 4 !== 0;
  for (let i = 0; i < n && !plain; i++) if (!(keys[i]! >= 0)) plain = true; // negative or NaN
  if (plain) return idx.sort((a, b) => keys[a]! - keys[b]! || a - b);
  // Little-endian words: the low half of key i is words[2i], the high half words[2i + 1].
  const words = new Uint32Array(keys.buffer, keys.byteOffset, 2 * n);
  let tmp = new Int32Array(n);
  const count = new Int32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass >> 1;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(words[2 * i + word]! >>> shift) & 0xffff]!++;
    // A digit every key shares (the top bits of times in one trace) needs no pass.
    if (count[(words[word]! >>> shift) & 0xffff] === n) continue;
    for (let d = 0, sum = 0; d < 65536; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let k = 0; k < n; k++) {
      const i = idx[k]!;
      tmp[count[(words[2 * i + word]! >>> shift) & 0xffff]!++] = i;
    }
    [idx, tmp] = [tmp, idx];
  }
  return idx;
}
