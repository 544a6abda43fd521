/** Byte sizes as users write them: "10GB", "512MiB", "1.5g", "4096". */

const UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 1e3, kb: 1e3, kib: 1024,
  m: 1e6, mb: 1e6, mib: 1024 ** 2,
  g: 1e9, gb: 1e9, gib: 1024 ** 3,
  t: 1e12, tb: 1e12, tib: 1024 ** 4,
};

export function parseSize(text: string, what = 'size'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new Error(`${what}: "${text}" is not a size like 10GB, 512MiB or 1048576`);
  return Math.round(parseFloat(m[1]!) * unit);
}
