/** Terminal formatting: durations, colours per service, truncation by display width. */

/** A duration for people: 850ns, 12.3µs, 4.56ms, 1.25s, 2m03s, 1h02m. */
export function formatDuration(ns: bigint): string {
  const n = Number(ns);
  if (n < 1e3) return `${n}ns`;
  if (n < 1e6) return `${trim(n / 1e3)}µs`;
  if (n < 1e9) return `${trim(n / 1e6)}ms`;
  if (n < 60e9) return `${trim(n / 1e9)}s`;
  const s = Math.floor(n / 1e9);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}

const trim = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

// distinct, readable on dark and light backgrounds (ANSI 256)
const PALETTE = [39, 208, 70, 170, 214, 33, 160, 37, 135, 178, 27, 202];

export interface Paint {
  service(name: string, text: string): string;
  red(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export function makePaint(color: boolean, services: string[]): Paint {
  const index = new Map<string, number>();
  [...new Set(services)].sort().forEach((s, i) => index.set(s, PALETTE[i % PALETTE.length]!));
  if (!color) return { service: (_s, t) => t, red: (t) => t, dim: (t) => t, bold: (t) => t };
  return {
    service: (s, t) => `\x1b[38;5;${index.get(s) ?? 250}m${t}\x1b[0m`,
    red: (t) => `\x1b[31m${t}\x1b[0m`,
    dim: (t) => `\x1b[2m${t}\x1b[0m`,
    bold: (t) => `\x1b[1m${t}\x1b[0m`,
  };
}

/** Cuts text to `width` characters, marking the cut with an ellipsis; pads to width. */
export function fit(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text + ' '.repeat(width - chars.length);
  if (width <= 1) return chars.slice(0, width).join('');
  return chars.slice(0, width - 1).join('') + '…';
}

/** Whether to colour: --color/--no-color, then NO_COLOR / FORCE_COLOR, then a TTY. */
export function wantColor(flag: boolean | undefined, stream: NodeJS.WriteStream = process.stdout): boolean {
  if (flag !== undefined) return flag;
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

export function terminalWidth(flag: number | undefined, stream: NodeJS.WriteStream = process.stdout): number {
  const w = flag ?? (stream.columns || Number(process.env.COLUMNS) || 80);
  return Math.max(40, Math.min(w, 1000));
}
