/** The report's parts: reading fault bars and operation points out of a history, and drawing SVG. */
package io.sluice.jepsen.report.internal;
