/** Configuration definitions: keys, types, defaults, validation. Internal to the SDK. */
package io.sluice.client.internal.config;
