/** Profiling driver (not part of `npm run bench`): 200k spans through @skein/sdk to a local sink; run under --cpu-prof. */
import { spawn } from 'node:child_process';
import { resolveOptions, SkeinProvider } from '@skein/sdk';

const SINK = `const http=require('http');const s=http.createServer((q,r)=>{q.resume();q.on('end',()=>{r.writeHead(200);r.end()})});s.listen(0,'127.0.0.1',()=>console.log(s.address().port));`;
const proc = spawn(process.execPath, ['-e', SINK], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<string>((r) => proc.stdout!.once('data', (d: Buffer) => r(d.toString().trim())));
const n = Number(process.argv[2] ?? 200_000);
const p = new SkeinProvider(resolveOptions({ endpoint: `http://127.0.0.1:${port}/v1/traces`, flushOnExit: false, queueSize: n + 1, serviceName: 'bench' }, {}));
const t = p.getTracer('bench');
const c0 = process.cpuUsage();
for (let i = 0; i < n; i++) {
  const s = t.startSpan('bench-op');
  s.setAttribute('http.method', 'GET');
  s.setAttribute('http.status_code', 200);
  s.setAttribute('http.route', '/api/items/:id');
  s.setAttribute('db.rows', i);
  s.setAttribute('cache.hit', true);
  s.end();
}
const c1 = process.cpuUsage(c0);
await p.queue.flush();
const c2 = process.cpuUsage(c0);
console.log(`create ${((c1.user + c1.system) * 1000 / n).toFixed(0)} ns/span, total ${((c2.user + c2.system) * 1000 / n).toFixed(0)} ns/span, exported ${p.queue.exported}`);
await p.queue.close();
proc.kill();
