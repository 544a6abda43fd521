/**
 * Consistent hashing of trace ids onto destinations: every span of a trace goes to the same
 * member, and adding or removing a member moves only about 1/N of the traces.
 */

/** FNV-1a, 32 bits: fast, and well spread enough over hex trace ids and member names. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // final avalanche (murmur3 fmix32) so nearby names land far apart on the ring
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class HashRing {
  private readonly points: number[] = [];
  private readonly owners: string[] = [];

  constructor(
    readonly members: readonly string[],
    replicas = 128,
  ) {
    const all: Array<[number, string]> = [];
    for (const m of members) for (let i = 0; i < replicas; i++) all.push([fnv1a(`${m}#${i}`), m]);
    all.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
    for (const [p, m] of all) {
      this.points.push(p);
      this.owners.push(m);
    }
  }

  /** The member that owns this trace id. */
  owner(traceId: string): string {
    const h = fnv1a(traceId);
    let lo = 0;
    let hi = this.points.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.points[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    return this.owners[lo === this.points.length ? 0 : lo]!;
  }
}
