/**
 * The replicated cluster metadata: the immutable {@link io.sluice.metastore.MetadataImage}, the typed
 * {@link io.sluice.metastore.MetaStore} API with change listeners, topic config definitions
 * ({@link io.sluice.metastore.TopicConfigs}), and {@link io.sluice.metastore.MetadataNode}, which runs
 * one member (voter or listener) of the Ratis metadata quorum.
 */
package io.sluice.metastore;
