/**
 * The checker's parts: the history parser (pairs invocations with completions, reads the queue
 * workload's values) and one class per family of checks.
 */
package io.sluice.jepsen.checker.internal;
