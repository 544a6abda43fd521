/** Root sampling (OTEL_TRACES_SAMPLER): a decision for traces this process starts. */

export type Sampler = (traceId: string) => boolean;
export interface SamplerSpec {
  sampler: Sampler;
  /** Children of a remote or local parent follow the parent's sampled flag (parentbased_*). */
  parentBased: boolean;
}

const always: Sampler = () => true;
const never: Sampler = () => false;

/** A ratio sampler over the low 32 bits of the trace id, so every process agrees. */
export function ratioSampler(ratio: number): Sampler {
  if (ratio >= 1) return always;
  if (ratio <= 0) return never;
  const bound = Math.floor(ratio * 0x100000000);
  return (traceId) => parseInt(traceId.slice(24), 16) < bound;
}

export function parseSampler(name: string | undefined, arg: string | undefined): SamplerSpec {
  const n = (name ?? 'parentbased_always_on').trim().toLowerCase();
  const ratio = arg === undefined || arg.trim() === '' ? 1 : Number(arg);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw new Error(`skein: bad OTEL_TRACES_SAMPLER_ARG "${arg}": expected a number in [0, 1]`);
  }
  switch (n) {
    case 'always_on':
      return { sampler: always, parentBased: false };
    case 'always_off':
      return { sampler: never, parentBased: false };
    case 'traceidratio':
      return { sampler: ratioSampler(ratio), parentBased: false };
    case 'parentbased_always_on':
      return { sampler: always, parentBased: true };
    case 'parentbased_always_off':
      return { sampler: never, parentBased: true };
    case 'parentbased_traceidratio':
      return { sampler: ratioSampler(ratio), parentBased: true };
    default:
      throw new Error(
        `skein: unsupported OTEL_TRACES_SAMPLER "${name}": use always_on, always_off, traceidratio or parentbased_*`,
      );
  }
}
