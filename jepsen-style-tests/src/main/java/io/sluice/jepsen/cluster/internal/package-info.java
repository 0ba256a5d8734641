/** The launcher's parts: one node's process state, and reading node logs. */
package io.sluice.jepsen.cluster.internal;
