/** OTLP over https, through node:https (loaded only for https endpoints). */
import { request } from 'node:https';
import { deferredCa } from './extra-ca.js';
import type { ExportTarget } from './config.js';

export function sendHttps(target: ExportTarget, contentType: string, body: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(target.url, {
      method: 'POST',
      headers: { 'content-type': contentType, 'content-length': body.length, ...target.headers },
      timeout: target.timeoutMs,
      ca: deferredCa(),
    });
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c.slice(0, 300)));
      res.on('end', () => {
        const s = res.statusCode ?? 0;
        if (s >= 200 && s < 300) resolve();
        else reject(new Error(`cannot export spans to ${target.url}: HTTP ${s} ${text.trim()}`));
      });
    });
    req.once('timeout', () => req.destroy(new Error(`no answer within ${target.timeoutMs} ms`)));
    req.once('error', (e) => reject(new Error(`cannot export spans to ${target.url}: ${e.message}`)));
    req.end(body);
  });
}
