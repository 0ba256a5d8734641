/**
 * {@code sluice chaos}: the run from start to verdict. It starts the cluster, starts a
 * {@link io.sluice.jepsen.runner.Workload}, plays the fault schedule, heals, lets the workload do
 * its final reads, checks the history and writes the run folder with its report. Workloads plug
 * in through {@link io.sluice.jepsen.runner.WorkloadProvider} ({@link java.util.ServiceLoader}).
 */
package io.sluice.jepsen.runner;
