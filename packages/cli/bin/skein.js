#!/usr/bin/env -S node --max-semi-space-size=64
// A bigger young generation: ingest allocates a span object per span, and scavenges were ~20%
// of serve's CPU (npm run bench -- ingest: +14-26% spans/s with it, measured A/B).
import { main } from '../dist/index.js';

main(process.argv.slice(2));
