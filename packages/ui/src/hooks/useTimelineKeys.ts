/** Keyboard navigation of the timeline: arrows move and fold, Home/End jump, Enter toggles, Esc clears. */
import type { Trace } from '../trace/model.js';

export function useTimelineKeys(o: {
  trace: Trace;
  rows: Int32Array;
  collapsed: Uint8Array;
  selected: number;
  focus(i: number): void;
  toggle(i: number): void;
  clear(): void;
}) {
  return (e: React.KeyboardEvent) => {
    const { trace: t, rows, selected: s } = o;
    const r = s >= 0 ? rows.indexOf(s) : -1;
    const hasKids = (i: number) => t.childStart[i + 1]! > t.childStart[i]!;
    let handled = true;
    switch (e.key) {
      case 'ArrowDown': case 'j': o.focus(rows[Math.min(rows.length - 1, r + 1)]!); break;
      case 'ArrowUp': case 'k': o.focus(rows[Math.max(0, r - 1)]!); break;
      case 'Home': o.focus(rows[0]!); break;
      case 'End': o.focus(rows[rows.length - 1]!); break;
      case 'PageDown': o.focus(rows[Math.min(rows.length - 1, r + 20)]!); break;
      case 'PageUp': o.focus(rows[Math.max(0, r - 20)]!); break;
      case 'ArrowRight': case 'l':
        if (s < 0) break;
        if (hasKids(s) && o.collapsed[s]) o.toggle(s);
        else if (hasKids(s)) o.focus(t.childList[t.childStart[s]!]!);
        break;
      case 'ArrowLeft': case 'h':
        if (s < 0) break;
        if (hasKids(s) && !o.collapsed[s]) o.toggle(s);
        else if (t.parent[s]! >= 0) o.focus(t.parent[s]!);
        break;
      case 'Enter': case ' ': if (s >= 0 && hasKids(s)) o.toggle(s); break;
      case 'Escape': o.clear(); break;
      case '/': document.getElementById('find')?.focus(); break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  };
}
