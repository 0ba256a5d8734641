/** The SDK's exception tree and the single mapping from wire error codes to it. */
package io.sluice.client.errors;
