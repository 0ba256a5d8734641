/**
 * Helpers of the group coordinator: the mutable group model, reconciliation, assignors, request
 * processing per API, validation and error responses. Not an API: only {@code io.sluice.broker.group}
 * uses them.
 */
package io.sluice.broker.group.internal;
