/**
 * The entry of `bin/skein exec`, bundled into one CommonJS file (dist/exec.cjs): Node loads one
 * file much faster than the ES module graph, and for `skein exec -- true` start-up is the cost.
 * The launcher starts Node without NODE_EXTRA_CA_CERTS (Node parses every certificate in it at
 * start-up, a third of that start-up with Debian's bundle) and passes it as
 * SKEIN_EXTRA_CA_CERTS; it goes back into the environment before the command starts, so the
 * command sees exactly what it would without skein, and an https export reads it itself.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { restoreExtraCaCerts } from '../export/extra-ca.js';
import { execFromArgv } from './fast.js';
import type { main as Main } from '../index.js';

restoreExtraCaCerts();
// `skein exec --help` and friends: the whole CLI (commander) prints it.
if (!execFromArgv(process.argv.slice(3))) {
  void import(pathToFileURL(join(__dirname, 'index.js')).href).then((m: { main: typeof Main }) => m.main(process.argv.slice(2)));
}
