export type { Consumer, Receiver, Processor, Exporter, Factory } from './pipeline/component.js';
export { MemoryStore } from './store/memory/index.js';
export type { Store, TraceQuery } from './store/store.js';
export { parseListenAddress, formatListenAddress } from './net/address.js';
export { startServe } from './serve.js';
export type { ServeOptions, RunningServer } from './serve.js';
