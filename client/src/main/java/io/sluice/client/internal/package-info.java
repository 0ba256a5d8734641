/**
 * Internals shared by every client: retry decisions ({@link io.sluice.client.internal.RetryPolicy})
 * and backoff. Not part of the public API; may change in any release.
 */
package io.sluice.client.internal;
