/**
 * The admin client: {@link io.sluice.client.admin.Admin} and its implementation
 * {@link io.sluice.client.admin.SluiceAdmin}, with the value types of its answers (topic and
 * group descriptions, configs, offsets, per-item {@link io.sluice.client.admin.Results}).
 */
package io.sluice.client.admin;
