/** Light/dark theme: follows the system until the user picks one, then remembers the choice. */
import { useEffect, useState } from 'react';

export type Theme = 'light' | 'dark';

function initial(): Theme {
  const saved = localStorage.getItem('skein.theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function useTheme(): [Theme, () => void] {
  const [theme, setTheme] = useState<Theme>(initial);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  const toggle = () =>
    setTheme((t) => {
      const next = t === 'dark' ? 'light' : 'dark';
      localStorage.setItem('skein.theme', next);
      return next;
    });
  return [theme, toggle];
}

/** Service colours: distinct hues, readable in both themes. */
const HUES = [217, 32, 152, 280, 350, 190, 48, 110, 330, 250, 10, 170];

export function serviceColor(index: number, alpha = 1): string {
  const h = HUES[index % HUES.length]!;
  const l = 52 + 8 * (Math.floor(index / HUES.length) % 3);
  return alpha === 1 ? `hsl(${h} 62% ${l}%)` : `hsl(${h} 62% ${l}% / ${alpha})`;
}

const slots = new Map<string, number>();

/**
 * A service's colour: palette slots are handed out in first-seen order, so the services of a
 * trace get distinct colours and one service keeps its colour on every page of the session.
 */
export function colorOf(name: string, alpha = 1): string {
  let slot = slots.get(name);
  if (slot === undefined) slots.set(name, (slot = slots.size));
  return serviceColor(slot, alpha);
}
