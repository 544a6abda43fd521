/** The row every benchmark returns, and the table `npm run bench` prints. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

export function printTable(title: string, rows: BenchRow[]): void {
  const fmt = (v: number) => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(Math.abs(v) >= 1 ? 2 : 4));
  const w = Math.max(...rows.map((r) => r.name.length), 10);
  const vw = Math.max(...rows.map((r) => fmt(r.value).length), 5);
  console.log(`\n## ${title}\n`);
  for (const r of rows) console.log(`${r.name.padEnd(w)}  ${fmt(r.value).padStart(vw)} ${r.unit.padEnd(8)} ${r.note ?? ''}`);
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
