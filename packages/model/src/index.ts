export * from './span.js';
export * from './ids.js';
export * from './time.js';
