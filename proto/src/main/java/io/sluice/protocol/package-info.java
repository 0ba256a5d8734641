/** Helpers over the generated wire types of {@code io.sluice.proto.v1}. */
package io.sluice.protocol;
