/**
 * Long synchronous loops of the write path (planning a group, appending its rows) give the event
 * loop a turn every SLICE_MS, so queries and /healthz answer while a big group is stored.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';

/** Synchronous work allowed between yields to the event loop, ms. */
export const SLICE_MS = 4;

export class Slicer {
  private start = performance.now();

  /** The current slice is used up: pause() before going on. */
  get due(): boolean {
    return performance.now() - this.start > SLICE_MS;
  }

  async pause(): Promise<void> {
    await yieldToLoop();
    this.start = performance.now();
  }
}
