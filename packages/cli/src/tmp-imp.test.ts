import { it } from 'vitest';
import { buildCli } from './test-support/cli-build.js';
import { run } from './test-support/run.js';
import { startTestServe } from './test-support/serve.js';
it('imp', async () => {
  const [cli, serve] = await Promise.all([buildCli(), startTestServe()]);
  const r = await run(cli.argv[0]!, [cli.argv[1]!, 'import', '/tmp/big.jsonl', '--endpoint', serve.otlp]);
  console.log(r.code, r.stderr.slice(-800));
  const st = await serve.server.store.stats(); console.log(st);
  await serve.server.close(); await cli.cleanup();
}, 300000);
