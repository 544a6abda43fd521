/** The current time in exact ns: wall clock at start-up plus the monotonic clock since. */

const originNs = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

/** Nanoseconds since the epoch; monotonic within one process, so a span never ends before it starts. */
export const nowNs = (): bigint => originNs + process.hrtime.bigint();
