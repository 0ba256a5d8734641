/**
 * {@code bin/sluice cluster start|stop|status}: a local multi-process cluster on loopback, for
 * development, demos and benchmarks. Each node is a separate {@code bin/sluice server} process.
 */
package io.sluice.broker.cluster;
