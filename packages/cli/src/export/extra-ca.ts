/**
 * Extra CA certificates that Node did not load at start-up (see exec/main.ts): an https export
 * adds them to Node's own roots itself. Empty when Node loaded them as usual.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';

let deferred: string | undefined;

export function deferExtraCaCerts(path: string): void {
  deferred = path || undefined;
}

/**
 * For an entry the launcher started without NODE_EXTRA_CA_CERTS (bin/skein): puts the variable
 * back as SKEIN_EXTRA_CA_CERTS carried it, for the commands skein runs, and defers loading it to
 * the first https connection.
 */
export function restoreExtraCaCerts(env = process.env): void {
  if (env.SKEIN_EXTRA_CA_CERTS === undefined) return;
  env.NODE_EXTRA_CA_CERTS = env.SKEIN_EXTRA_CA_CERTS;
  delete env.SKEIN_EXTRA_CA_CERTS;
  deferExtraCaCerts(env.NODE_EXTRA_CA_CERTS);
}

/** Node's roots plus the deferred certificates for a TLS connection, or undefined for Node's defaults. */
export function deferredCa(): string[] | undefined {
  if (deferred === undefined) return undefined;
  try {
    return [...rootCertificates, readFileSync(deferred, 'utf8')];
  } catch (e) {
    // Node itself only warns when the file cannot be read; so do we, by going on without it.
    process.stderr.write(`skein: warning: cannot read NODE_EXTRA_CA_CERTS ${deferred}: ${(e as Error).message}\n`);
    deferred = undefined;
    return undefined;
  }
}
