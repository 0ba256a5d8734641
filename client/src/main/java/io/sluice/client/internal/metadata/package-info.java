/** Cluster metadata as a client sees it: an immutable snapshot and the poll-driven manager keeping it current. */
package io.sluice.client.internal.metadata;
