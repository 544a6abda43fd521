/**
 * The cost of `skein exec`: `skein exec -- true` against a bare `true` and a bare `node -e 0`,
 * measured interleaved in one run (the machine's load hits all three alike), running `bin/skein`
 * as users do. Target: the overhead of skein exec over `true` is at most the start-up of
 * `node -e 0`. Beside it, a short reading command (`skein services`) as bin/skein runs it (the
 * bundled dist/cli.cjs, certificates loaded late) against the same command from the ES module
 * graph (bin/skein.js), measured in the same rounds.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { median, type BenchRow } from './lib/table.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = `${ROOT}packages/cli/bin/skein`;
const MODULE_ENTRY = `${ROOT}packages/cli/bin/skein.js`;
const EXEC_BUNDLE = `${ROOT}packages/cli/dist/exec.cjs`;

function time(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`));
      else resolve(ms);
    });
  });
}


export async function benchCli(): Promise<BenchRow[]> {
  if (!existsSync(EXEC_BUNDLE)) {
    const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (!existsSync(EXEC_BUNDLE)) throw new Error(`${EXEC_BUNDLE} is missing and \`npm run build\` did not build it (exit ${r.status})`);
  }
  // a real OTLP/HTTP endpoint that answers at once, so the export is part of what is measured
  let received = 0;
  const server = createServer((req, res) => {
    if (req.method === 'GET') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":["bench"]}');
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, TRACEPARENT: '' };
  // Node parses every certificate in NODE_EXTRA_CA_CERTS at start-up and skein exec does not
  // (bin/skein): so measure both sides without it too, where it is set.
  const withoutCa = { ...env };
  delete withoutCa.NODE_EXTRA_CA_CERTS;
  const caSet = env.NODE_EXTRA_CA_CERTS !== undefined;
  const rounds = Number(process.env.SKEIN_BENCH_CLI_ROUNDS ?? 30);
  const samples = { true: [] as number[], node: [] as number[], floor: [] as number[], exec: [] as number[], execDown: [] as number[], nodeNoCa: [] as number[], execNoCa: [] as number[], services: [] as number[], servicesModules: [] as number[] };
  // the floor of any Node-based wrapper: a script that only spawns the command and waits
  const floorDir = mkdtempSync(join(tmpdir(), 'skein-bench-cli-'));
  const floor = join(floorDir, 'floor.mjs');
  writeFileSync(floor, "import { spawn } from 'node:child_process';\nspawn('true', [], { stdio: 'inherit' }).on('exit', (c) => process.exit(c));\n");
  const exec = ['exec', '--endpoint', endpoint, '--', 'true'];
  const services = ['services', '--server', endpoint];
  try {
    // warm the page cache once
    await time(BIN, exec, env);
    for (let i = 0; i < rounds; i++) {
      samples.true.push(await time('true', [], env));
      samples.node.push(await time(process.execPath, ['-e', '0'], env));
      samples.floor.push(await time(process.execPath, [floor], env));
      samples.exec.push(await time(BIN, exec, env));
      samples.execDown.push(await time(BIN, ['exec', '-q', '--endpoint', 'http://127.0.0.1:9', '--', 'true'], env));
      samples.services.push(await time(BIN, services, env));
      samples.servicesModules.push(await time(process.execPath, [MODULE_ENTRY, ...services], env));
      if (caSet) {
        samples.nodeNoCa.push(await time(process.execPath, ['-e', '0'], withoutCa));
        samples.execNoCa.push(await time(BIN, exec, withoutCa));
      }
    }
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(floorDir, { recursive: true, force: true });
  }
  const t = median(samples.true);
  const n = median(samples.node);
  const e = median(samples.exec);
  const d = median(samples.execDown);
  const f = median(samples.floor);
  const overhead = e - t;
  const rows: BenchRow[] = [
    { name: 'bare `true`', value: t, unit: 'ms', note: `median of ${rounds}` },
    { name: 'bare `node -e 0`', value: n, unit: 'ms', note: 'the budget for skein exec overhead' },
    { name: 'floor: node script that spawns `true`', value: f, unit: 'ms', note: 'a plain Node wrapper' },
    { name: '`skein exec -- true` (backend answering)', value: e, unit: 'ms', note: `bin/skein as users run it; ${received - 1} spans received` },
    { name: '`skein exec -- true` (no backend)', value: d, unit: 'ms', note: 'connection refused, --quiet' },
    { name: 'skein exec overhead over `true`', value: overhead, unit: 'ms' },
    {
      name: 'overhead / `node -e 0` start-up',
      value: overhead / n,
      unit: 'x',
      note: `${overhead <= n ? 'target met (<= 1)' : 'target missed (> 1)'}${caSet ? '; NODE_EXTRA_CA_CERTS set, as here' : ''}`,
    },
    { name: 'floor overhead / `node -e 0` start-up', value: (f - t) / n, unit: 'x', note: 'the same ratio for the floor' },
    { name: '`skein services`', value: median(samples.services), unit: 'ms', note: 'bin/skein: bundled dist/cli.cjs, certificates loaded only for https' },
    { name: '`skein services` from the module graph', value: median(samples.servicesModules), unit: 'ms', note: 'node bin/skein.js: ES modules, certificates at start-up' },
    { name: 'bundled / module graph', value: median(samples.services) / median(samples.servicesModules), unit: 'x', note: 'the same command, same rounds' },
    { name: '`skein services` / `node -e 0`', value: median(samples.services) / n, unit: 'x' },
  ];
  if (caSet) {
    const n2 = median(samples.nodeNoCa);
    const o2 = median(samples.execNoCa) - t;
    rows.push(
      { name: 'bare `node -e 0`, NODE_EXTRA_CA_CERTS unset', value: n2, unit: 'ms' },
      { name: 'overhead / `node -e 0`, NODE_EXTRA_CA_CERTS unset', value: o2 / n2, unit: 'x', note: `${o2 <= n2 ? 'met' : 'missed'} without the certificates' start-up cost` },
    );
  }
  return rows;
}
