/**
 * The entry of `bin/skein` for every command but exec, bundled into dist/cli.cjs
 * (scripts/bundle.mjs). The launcher starts the short commands without NODE_EXTRA_CA_CERTS, as
 * it does exec (see exec/main.ts); their https requests load it themselves (io/http.ts).
 */
import { restoreExtraCaCerts } from './export/extra-ca.js';
import { main } from './index.js';

restoreExtraCaCerts();
void main(process.argv.slice(2));
