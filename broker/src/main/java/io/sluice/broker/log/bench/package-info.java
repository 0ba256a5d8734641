/**
 * The storage benchmark, {@code bin/sluice bench storage}: append and sequential-read throughput of
 * the real {@link io.sluice.broker.log.ChronicleLog} beside the raw sequential write speed of the same
 * file system ({@code dd}), measured in the same run. Not used by the broker; results and the method
 * are in {@code docs/benchmarks.md}.
 */
package io.sluice.broker.log.bench;
