/** Histories of client operations: the record a chaos run leaves for the checker. */
package io.sluice.jepsen.history;
