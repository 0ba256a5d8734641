/** Helpers of the partition state machine: header-only batch scans. */
package io.sluice.broker.partition.internal;
