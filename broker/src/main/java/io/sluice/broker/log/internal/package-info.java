/**
 * Helpers of the Chronicle partition log: segments and their mappings, sparse indexes, checkpoint
 * files, the recovery scanner and the leader-epoch history. Nothing here is meant to be used outside
 * {@code io.sluice.broker.log}; the on-disk formats are described in {@code docs/storage.md}.
 */
package io.sluice.broker.log.internal;
