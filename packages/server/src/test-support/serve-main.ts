/** A child-process entry for tests: runs startServe with the JSON options in argv[2] and prints the addresses. */
import { pino } from 'pino';
import { startServe } from '../serve.js';

const opts = JSON.parse(process.argv[2] ?? '{}');
const server = await startServe({ ...opts, logger: pino({ level: 'warn' }) });
process.stdout.write(`${JSON.stringify({ up: server.addresses })}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
