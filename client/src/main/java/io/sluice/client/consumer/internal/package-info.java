/**
 * Consumer internals: the single-threaded {@link io.sluice.client.consumer.internal.ConsumerCore}
 * and its parts (subscription state, fetcher, membership state machine), and the background
 * thread that drives it. Not public API.
 */
package io.sluice.client.consumer.internal;
