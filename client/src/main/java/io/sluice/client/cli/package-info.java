/** The user command-line tools behind {@code bin/sluice}. */
package io.sluice.client.cli;
