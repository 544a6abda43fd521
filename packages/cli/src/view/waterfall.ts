/**
 * The terminal waterfall of `skein trace show`: a tree of spans on the left, bars on a shared
 * time axis scaled to the terminal width, a colour per service, error marks, and the critical
 * path drawn in solid blocks (other spans shaded).
 */
import { serviceName, type Span } from '@skein/model';
import { fit, formatDuration, makePaint } from './format.js';
import { buildRows, type Row } from './tree.js';

export interface WaterfallOptions {
  width: number;
  color: boolean;
  /** List each span's events under it. */
  events?: boolean;
}

const CRIT = '█';
const OTHER = '▒';

export function renderWaterfall(spans: Span[], opts: WaterfallOptions): string {
  if (spans.length === 0) return 'no spans\n';
  const width = Math.max(40, opts.width) - 1; // never the last column: some terminals wrap there
  const rows = buildRows(spans);
  let t0 = spans[0]!.startTimeUnixNano;
  let t1 = spans[0]!.endTimeUnixNano;
  for (const s of spans) {
    if (s.startTimeUnixNano < t0) t0 = s.startTimeUnixNano;
    if (s.endTimeUnixNano > t1) t1 = s.endTimeUnixNano;
  }
  const total = t1 > t0 ? t1 - t0 : 1n;
  const services = spans.map((s) => serviceName(s.resource));
  const paint = makePaint(opts.color, services);
  const durW = 8;
  const labelW = Math.max(18, Math.min(60, Math.round(width * 0.36)));
  const barW = width - labelW - durW - 2;

  const out: string[] = [];
  const root = rows[0]!.span;
  const errors = spans.filter((s) => s.status.code === 2).length;
  const uniq = [...new Set(services)].sort();
  const depth = rows.reduce((m, r) => Math.max(m, r.depth + 1), 0);
  const counts =
    `${formatDuration(total)} · ${spans.length} span${spans.length === 1 ? '' : 's'} · ` +
    `${uniq.length} service${uniq.length === 1 ? '' : 's'} · depth ${depth}`;
  const when = `started ${new Date(Number(t0 / 1_000_000n)).toISOString().replace('T', ' ').replace('Z', ' UTC')}`;
  const errText = errors ? ` · ${errors} error${errors === 1 ? '' : 's'}` : '';
  // header pieces joined while they fit the width (measured without colour codes)
  const lines: string[] = [];
  for (const piece of [`trace ${root.traceId}`, counts, when + errText]) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + 3 + piece.length <= width) lines[last] += ` · ${piece}`;
    else lines.push(piece);
  }
  for (const l of lines) out.push(l.replace(`trace ${root.traceId}`, paint.bold(`trace ${root.traceId}`)).replace(errText, errText ? ` · ${paint.red(errText.slice(3))}` : ''));
  out.push(legend(uniq, width, paint));
  out.push(paint.dim(`${CRIT} critical path  ${OTHER} other span  ✗ error`));
  out.push(' '.repeat(labelW + 1) + axis(total, barW) + ' ' + ' '.repeat(durW));

  const serviceOf = new Map(spans.map((s) => [s.spanId, serviceName(s.resource)]));
  for (const row of rows) {
    out.push(renderRow(row, { t0, total, labelW, barW, durW, paint, parentService: serviceOf.get(row.span.parentSpanId) }));
    if (opts.events) {
      for (const e of row.span.events) {
        const at = formatDuration(e.timeUnixNano > t0 ? e.timeUnixNano - t0 : 0n);
        const label = fit(`${treePrefix(row, true)}· ${e.name}`, labelW);
        const x = Math.min(barW - 1, scale(e.timeUnixNano - t0, total, barW));
        out.push(paint.dim(label) + ' ' + ' '.repeat(Math.max(0, x)) + paint.dim('◆') + ' '.repeat(Math.max(0, barW - x - 1)) + ' ' + paint.dim(`+${at}`.padStart(durW)));
      }
    }
  }
  return out.join('\n') + '\n';
}

/** `services: ■ a  ■ b ...` cut to the width (counted without colour codes). */
function legend(services: string[], width: number, paint: ReturnType<typeof makePaint>): string {
  let plain = 'services:';
  let text = 'services:';
  for (const [i, s] of services.entries()) {
    const more = services.length - i - 1;
    const item = ` ■ ${s}`;
    if (plain.length + item.length + (more ? 10 : 0) > width) return `${text} … +${services.length - i} more`;
    plain += item;
    text += ` ${paint.service(s, '■')} ${s}`;
  }
  return text;
}

function scale(offset: bigint, total: bigint, barW: number): number {
  if (offset <= 0n) return 0;
  return Number((offset * BigInt(barW)) / total);
}

function axis(total: bigint, barW: number): string {
  const cells = Array<string>(barW).fill(' ');
  const ticks = barW >= 100 ? 8 : barW >= 50 ? 4 : 2;
  for (let i = 0; i <= ticks; i++) {
    const label = i === 0 ? '0' : formatDuration((total * BigInt(i)) / BigInt(ticks));
    let x = Math.round((barW * i) / ticks);
    if (i === ticks) x = barW - label.length;
    else if (i > 0) x = Math.max(0, x - Math.floor(label.length / 2));
    if (x < 0 || x + label.length > barW) continue;
    if (cells.slice(Math.max(0, x - 1), x + label.length + 1).some((c) => c !== ' ')) continue;
    for (let j = 0; j < label.length; j++) cells[x + j] = label[j]!;
  }
  return cells.join('');
}

function treePrefix(row: Row, forEvent = false): string {
  let p = '';
  for (let level = 1; level < row.depth; level++) p += row.lastAt[level] ? '  ' : '│ ';
  if (row.depth > 0) p += forEvent ? (row.lastAt[row.depth] ? '  ' : '│ ') : row.lastAt[row.depth] ? '└─' : '├─';
  return p;
}

interface RowCtx {
  t0: bigint;
  total: bigint;
  labelW: number;
  barW: number;
  durW: number;
  paint: ReturnType<typeof makePaint>;
  parentService: string | undefined;
}

function renderRow(row: Row, c: RowCtx): string {
  const s = row.span;
  const service = serviceName(s.resource);
  const error = s.status.code === 2;
  const prefix = treePrefix(row);
  const mark = error ? '✗ ' : '';
  const showService = service !== c.parentService;
  const label = fit(`${prefix}${mark}${s.name}${showService ? ` [${service}]` : ''}`, c.labelW);
  // colour the pieces of the (already fitted) label separately
  const cut = [...label];
  const pre = cut.slice(0, prefix.length).join('');
  const rest = cut.slice(prefix.length).join('');
  let painted = pre ? c.paint.dim(pre) : '';
  if (error && rest.startsWith('✗')) painted += c.paint.red('✗') + c.paint.service(service, rest.slice(1));
  else painted += c.paint.service(service, rest);

  const start = s.startTimeUnixNano - c.t0;
  const dur = s.endTimeUnixNano > s.startTimeUnixNano ? s.endTimeUnixNano - s.startTimeUnixNano : 0n;
  let x0 = Math.min(c.barW - 1, scale(start, c.total, c.barW));
  let x1 = Math.ceil(Number(((start + dur) * BigInt(c.barW * 1000)) / c.total) / 1000);
  x1 = Math.min(c.barW, Math.max(x0 + 1, x1));
  x0 = Math.max(0, x0);
  const bar = (row.critical ? CRIT : OTHER).repeat(x1 - x0);
  const line = ' '.repeat(x0) + c.paint.service(service, bar) + ' '.repeat(c.barW - x1);
  const durText = formatDuration(dur).padStart(c.durW);
  return `${painted} ${line} ${error ? c.paint.red(durText) : durText}`;
}
