/**
 * Faults of a chaos run and the nemesis that injects them: the kinds ({@link FaultKind}), their
 * targets and partition shapes, a fault as the schedule plans it ({@link PlannedFault}), the
 * storage damage done to a stopped node's files ({@link StorageFaults}), and {@link Nemesis},
 * which starts and heals faults and records each step in the history.
 */
package io.sluice.jepsen.fault;
