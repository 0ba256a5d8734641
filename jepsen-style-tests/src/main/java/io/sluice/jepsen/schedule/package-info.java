/**
 * The fault schedule of a chaos run: which faults start and heal when, drawn from a seed, so that
 * the same seed and options give the same schedule.
 */
package io.sluice.jepsen.schedule;
