/**
 * 64-bit wrapping for bigints without BigInt.asUintN/asIntN: Node 20's optimising compiler can
 * crash the process (RepresentationChangerError) on those in hot loops, which fuzzing triggered.
 */
export const U64_MASK = 0xffffffffffffffffn;
const TWO_63 = 0x8000000000000000n;
const TWO_64 = 0x10000000000000000n;

/** v modulo 2^64, as an unsigned value. */
export const toU64 = (v: bigint): bigint => v & U64_MASK;

/** v modulo 2^64, as a signed value. */
export const toI64 = (v: bigint): bigint => {
  const u = v & U64_MASK;
  return u >= TWO_63 ? u - TWO_64 : u;
};
