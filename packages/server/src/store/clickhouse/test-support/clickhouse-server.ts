/**
 * Runs a real ClickHouse server for tests: Debian's clickhouse-server binary with its own minimal
 * config, on 127.0.0.1 only, a free HTTP port, a fresh temporary data directory, no TCP port.
 * One server per test file (start in beforeAll, stop in afterAll); stop() kills the process
 * group and removes the directory. A missing binary fails the tests, saying what to install.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CANDIDATES = ['/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server'];

/** The password of the `skein` user the test server knows (the `default` user has none). */
export const TEST_PASSWORD = 's3cr3t-pw';

/** A user whose queries land in system.query_log (read_rows per query): url(db, LOGGED_USER). */
export const LOGGED_USER = 'logged:';

export interface TestClickHouse {
  port: number;
  /** An HTTP URL for a database on this server (`default` user unless given). */
  url(database: string, auth?: string): string;
  stop(): Promise<void>;
}

export function clickHouseBinary(candidates = CANDIDATES): string {
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `ClickHouse tests need a real server, but no clickhouse-server binary is at ${candidates.join(' or ')}: ` +
        'install Debian\'s package (apt-get install clickhouse-server); its own service need not run',
    );
  }
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const config = (dir: string, port: number): string => `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><console>1</console></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${port}</http_port>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/data/tmp/</tmp_path>
  <user_files_path>${dir}/data/user_files/</user_files_path>
  <format_schema_path>${dir}/data/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
</yandex>
`;

const users = `<?xml version="1.0"?>
<yandex>
  <profiles><default></default><logged><log_queries>1</log_queries></logged></profiles>
  <users>
    <default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default>
    <skein><password>${TEST_PASSWORD}</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></skein>
    <logged><password></password><networks><ip>127.0.0.1</ip></networks><profile>logged</profile><quota>default</quota></logged>
  </users>
  <quotas><default></default></quotas>
</yandex>
`;

async function answers(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/ping`);
    return res.ok && (await res.text()).startsWith('Ok');
  } catch {
    return false;
  }
}

/** Starts a server and waits (up to 60 s) until it answers /ping. */
export async function startClickHouse(): Promise<TestClickHouse> {
  const bin = clickHouseBinary();
  const dir = await mkdtemp(join(tmpdir(), 'skein-clickhouse-'));
  const port = await freePort();
  await writeFile(join(dir, 'config.xml'), config(dir, port));
  await writeFile(join(dir, 'users.xml'), users);
  const child: ChildProcess = spawn(bin, [`--config-file=${join(dir, 'config.xml')}`], {
    cwd: dir,
    detached: true, // its own process group, so stop() can kill the whole tree
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (d: Buffer): void => void (log = (log + d.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: number | null | undefined;
  const gone = new Promise<void>((resolve) => child.once('exit', (code) => ((exited = code), resolve())));
  const killGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  // If the test process dies without afterAll, the server must not outlive it.
  const onExit = (): void => killGroup('SIGKILL');
  process.once('exit', onExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', onExit);
    if (exited === undefined) {
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 5_000);
      await gone;
      clearTimeout(timer);
      killGroup('SIGKILL'); // anything it left in its group
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  while (!(await answers(port))) {
    if (exited !== undefined || Date.now() > deadline) {
      await stop();
      throw new Error(`clickhouse-server did not come up on 127.0.0.1:${port} (exit ${exited}):\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    url: (database, auth) => `http://${auth ? `${auth}@` : ''}127.0.0.1:${port}/${database}`,
    stop,
  };
}
