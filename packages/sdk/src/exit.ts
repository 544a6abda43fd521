/** Static mode's guarantee: on natural exit, process.exit(), SIGTERM or SIGINT, queued spans are sent within a deadline. */

export interface Flushable {
  flush(deadlineMs: number): Promise<void>;
  pending(): number;
  /** Synchronous last resort for the 'exit' event. */
  drainSync(deadlineMs: number): void;
}

/** Installs the handlers; returns the function that removes them. */
export function installExitHooks(f: Flushable, deadlineMs: number): () => void {
  let flushing = false;
  const keepAliveFlush = (): Promise<void> => {
    flushing = true;
    // Export sockets are unref'd; this timer keeps the loop alive until the flush ends or the deadline passes.
    const keep = setTimeout(() => {}, deadlineMs);
    return f.flush(deadlineMs).finally(() => {
      clearTimeout(keep);
      flushing = false;
    });
  };
  const onBeforeExit = (): void => {
    if (!flushing && f.pending() > 0) void keepAliveFlush();
  };
  const onExit = (): void => {
    if (f.pending() > 0) f.drainSync(deadlineMs);
  };
  const onSignal = (sig: NodeJS.Signals): void => {
    if (flushing) return;
    void keepAliveFlush().then(() => {
      // Keep the default action (die by the signal) unless the program handles the signal itself.
      if (process.listenerCount(sig) === 1) {
        remove();
        process.kill(process.pid, sig);
      }
    });
  };
  process.on('beforeExit', onBeforeExit);
  process.on('exit', onExit);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  function remove(): void {
    process.off('beforeExit', onBeforeExit);
    process.off('exit', onExit);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
  return remove;
}
