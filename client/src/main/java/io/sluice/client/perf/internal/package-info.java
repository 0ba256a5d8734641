/** Helpers of the load generators: latency histogram, send schedule, pacing, payloads, recorders. */
package io.sluice.client.perf.internal;
