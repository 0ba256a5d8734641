/**
 * The HTML report of a chaos run: one self-contained page (inline SVG and CSS, no scripts, no
 * external assets) with the fault timeline above latency and throughput plots, the checker's
 * anomalies with examples, availability, and the seed and command that replay the run.
 */
package io.sluice.jepsen.report;
