/** The producer side of the SDK: partitioning now; the accumulator and sender follow. */
package io.sluice.client.producer;
