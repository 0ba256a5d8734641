/**
 * Internals of the metadata store: the Ratis state machine, the command appliers (one class per
 * concern), invariant checks, snapshot files and the Ratis-backed MetaStore.
 */
package io.sluice.metastore.internal;
