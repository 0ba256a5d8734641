/**
 * The group coordinator's view of the node: its store (the metadata quorum), topic catalog (the
 * metadata image), partition offsets (ListOffsets at the partition leaders) and where the
 * coordinator runs (the active controller).
 */
package io.sluice.broker.server.groups;
