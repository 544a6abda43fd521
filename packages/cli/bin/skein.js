#!/usr/bin/env -S GLIBC_TUNABLES=glibc.malloc.trim_threshold=268435456:glibc.malloc.mmap_threshold=33554432 node --max-semi-space-size=64
// How `skein serve` runs (`npm start` and the benchmarks start it through this line too):
// - A bigger young generation: ingest allocates a span object per span, and scavenges were ~20%
//   of serve's CPU (npm run bench -- ingest: +14-26% spans/s with it, measured A/B).
// - glibc's malloc keeps what DuckDB frees (up to 256 MiB at the top of a heap; blocks up to
//   32 MiB from the heap, not mmap) instead of handing it back to the kernel: DuckDB's quantile
//   aggregates grow a vector per group, and every page faulted in again was dear on the 2-core
//   bench VM (RED of the largest service on 10M spans: median 133-167 vs 178-254 ms in three
//   paired runs, for 40-60 MB more RSS). Other platforms ignore the variable.
import { main } from '../dist/index.js';

main(process.argv.slice(2));
