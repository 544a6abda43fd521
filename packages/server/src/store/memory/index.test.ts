/** The memory store runs the shared Store conformance suite. */
import { MemoryStore } from './index.js';
import { storeConformance } from '../conformance.js';

storeConformance('MemoryStore', async () => new MemoryStore(), { red: true });
