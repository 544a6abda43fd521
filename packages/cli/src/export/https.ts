/** OTLP over https, through the CLI's node:https client (loaded only for https endpoints). */
import { send } from '../io/http.js';
import type { ExportTarget } from './config.js';

export async function sendHttps(target: ExportTarget, contentType: string, body: Uint8Array): Promise<void> {
  let res: Awaited<ReturnType<typeof send>>;
  try {
    res = await send(target.url, { method: 'POST', headers: { 'content-type': contentType, ...target.headers }, body, timeoutMs: target.timeoutMs });
  } catch (e) {
    throw new Error(`cannot export spans to ${target.url}: ${(e as Error).message}`);
  }
  if (res.status < 200 || res.status >= 300) throw new Error(`cannot export spans to ${target.url}: HTTP ${res.status} ${res.text.slice(0, 300).trim()}`);
}
