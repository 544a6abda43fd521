/**
 * Test entry: `node --import tsx child-main.ts '<RunForwardOptions JSON>'` runs the forwarder as
 * its own process (for kill -9 and SIGHUP tests) without loading the rest of the CLI.
 */
import { runForward, type RunForwardOptions } from '../../forward.js';

const opts = JSON.parse(process.argv[2] ?? '{}') as RunForwardOptions;
await runForward({ ...opts, handleSignals: true }).catch((err: unknown) => {
  process.stderr.write(`skein forward: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
