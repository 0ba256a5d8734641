/**
 * The metadata quorum benchmark (a tool, not a test): {@link io.sluice.metastore.bench.MetadataBench}
 * starts three {@link io.sluice.metastore.bench.BenchNode} processes on 127.0.0.1 and drives them
 * over their stdin/stdout; {@code bench/metadata-quorum.sh} builds and runs it. Figures and the exact
 * command are in {@code docs/benchmarks.md}.
 */
package io.sluice.metastore.bench;
