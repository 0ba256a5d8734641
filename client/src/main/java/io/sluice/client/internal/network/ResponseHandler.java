package io.sluice.client.internal.network;

import io.sluice.client.errors.SluiceException;

/**
 * Receives the outcome of a request on the core's thread: exactly one of {@code response} and
 * {@code error} is non-null. {@code error} is a transport failure already mapped by
 * {@link io.sluice.client.errors.Errors#fromTransport}, or a {@link io.sluice.client.errors.SluiceTimeoutException}
 * when no answer came within the request's timeout on the core's clock. Errors inside the answer
 * (its {@code error_code} fields) arrive as a normal response.
 */
@FunctionalInterface
public interface ResponseHandler<R> {
    void onComplete(R response, SluiceException error);
}
