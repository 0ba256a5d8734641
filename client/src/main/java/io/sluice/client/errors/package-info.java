/**
 * The SDK's exception tree and the single mapping from wire error codes and transport failures to
 * it ({@link io.sluice.client.errors.Errors}). {@link io.sluice.client.errors.RetriableException}
 * and its subtypes are retried by the SDK within its timeouts; every other
 * {@link io.sluice.client.errors.SluiceException} reaches the caller at once.
 */
package io.sluice.client.errors;
