/**
 * Real clusters for chaos runs: N {@code bin/sluice server} processes, each with its own
 * configuration, data directory, log file and clock-offset file, started (optionally inside a
 * network namespace), awaited, killed, stopped, paused and resumed by PID.
 */
package io.sluice.jepsen.cluster;
