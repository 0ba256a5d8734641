/**
 * Operator tools over a metadata node's files: {@link io.sluice.metastore.tools.MetadataLogDump}
 * prints the Raft log with every command decoded.
 */
package io.sluice.metastore.tools;
