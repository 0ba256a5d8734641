/**
 * Admin client internals: the poll-driven core and its thread, and the request builders for
 * topics, configs, records, the cluster and groups. Not public API.
 */
package io.sluice.client.admin.internal;
