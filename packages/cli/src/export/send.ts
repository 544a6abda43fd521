/**
 * Sends one encoded OTLP request to an ExportTarget. HTTP goes over a bare node:net socket:
 * node:http costs start-up time `skein exec` cannot spare, and net loads while the command
 * runs. https, gRPC and framed sockets load what they need only when used. Every failure
 * becomes a rejected Error with a message that says what to check.
 */
import { connect } from 'node:net';
import type { ExportTarget } from './config.js';

export interface Payload {
  proto: () => Uint8Array;
  json: () => string;
}

export async function sendSpans(target: ExportTarget, payload: Payload): Promise<void> {
  switch (target.protocol) {
    case 'http/protobuf':
      return sendHttp(target, 'application/x-protobuf', payload.proto());
    case 'http/json':
      return sendHttp(target, 'application/json', Buffer.from(payload.json()));
    case 'grpc': {
      const { sendGrpc } = await import('./grpc.js');
      return sendGrpc(target, payload.proto());
    }
    case 'framed': {
      const { sendFramed } = await import('./framed.js');
      return sendFramed(target, payload.proto());
    }
  }
}

async function sendHttp(target: ExportTarget, contentType: string, body: Uint8Array): Promise<void> {
  const u = new URL(target.url);
  if (u.protocol === 'https:') {
    const { sendHttps } = await import('./https.js');
    return sendHttps(target, contentType, body);
  }
  const port = Number(u.port || 80);
  const head =
    `POST ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: ${contentType}\r\n` +
    `Content-Length: ${body.length}\r\nConnection: close\r\nUser-Agent: skein-cli\r\n` +
    Object.entries(target.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('') +
    '\r\n';
  await new Promise<void>((resolve, reject) => {
    const sock = connect({ host: u.hostname.replace(/^\[|\]$/g, ''), port });
    let answer = '';
    let done = false;
    const finish = (why?: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      if (why === undefined) resolve();
      else reject(new Error(`cannot export spans to ${target.url}: ${why}`));
    };
    let timer = setTimeout(() => finish(`no connection within ${target.connectTimeoutMs} ms`), target.connectTimeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(`no answer within ${target.timeoutMs} ms`), target.timeoutMs);
      sock.write(head);
      sock.write(body);
    });
    sock.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      const end = answer.indexOf('\r\n\r\n');
      if (end < 0 && answer.length < 65536) return;
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? 0);
      if (status >= 200 && status < 300) return finish();
      // wait briefly for the body: it usually says what was wrong
      clearTimeout(timer);
      timer = setTimeout(() => finish(`HTTP ${status || '?'} ${bodyText(answer, end)}`), 50);
    });
    sock.once('error', (e: NodeJS.ErrnoException) =>
      finish(e.code === 'ECONNREFUSED' ? 'nothing listens there (connection refused)' : e.message),
    );
    sock.once('close', () => {
      const end = answer.indexOf('\r\n\r\n');
      if (end >= 0) finish(`HTTP ${/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? '?'} ${bodyText(answer, end)}`);
      else finish('the connection closed before an answer');
    });
  });
}

/** The start of a response body for an error message, de-chunked when the server chunked it. */
function bodyText(answer: string, headEnd: number): string {
  let body = answer.slice(headEnd + 4);
  if (/\r\ntransfer-encoding:\s*chunked/i.test(answer.slice(0, headEnd))) {
    let out = '';
    for (let m = /^([0-9a-f]+)\r\n/i.exec(body); m && m[1] !== '0'; m = /^([0-9a-f]+)\r\n/i.exec(body)) {
      const n = parseInt(m[1]!, 16);
      out += body.substr(m[0].length, n);
      body = body.slice(m[0].length + n + 2);
    }
    body = out;
  }
  return Buffer.from(body, 'latin1').toString('utf8').slice(0, 300).trim();
}
