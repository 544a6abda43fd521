/** Where browser tests leave their screenshots (for people to look at): $SKEIN_UI_SHOTS or a temp folder. */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

export const SHOTS = process.env.SKEIN_UI_SHOTS ?? join(tmpdir(), 'skein-ui-shots');
mkdirSync(SHOTS, { recursive: true });

export async function shot(page: Page, name: string): Promise<string> {
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
