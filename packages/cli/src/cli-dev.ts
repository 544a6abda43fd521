/** Development entry: `npx tsx packages/cli/src/cli-dev.ts <args>` runs the CLI from source. */
import { main } from './index.js';

await main(process.argv.slice(2));
