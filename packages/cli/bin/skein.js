#!/usr/bin/env -S node --max-semi-space-size=64 --initial-old-space-size=256
// A bigger young generation: ingest allocates a span object per span, and scavenges were ~20%
// of serve's CPU (npm run bench -- ingest: +14-26% spans/s with it, measured A/B). The old one
// starts big enough that V8 does not collect it after every few MB (bin/skein says more).
import { main } from '../dist/index.js';

main(process.argv.slice(2));
