/**
 * The harness's hands on the operating system: short external commands ({@code ip}, {@code nft},
 * {@code tc}) run with a timeout, and signals and states of the processes the harness started.
 */
package io.sluice.jepsen.os;
