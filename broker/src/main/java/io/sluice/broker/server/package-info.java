/** The node process: its configuration now; start-up, gRPC services and shutdown follow. */
package io.sluice.broker.server;
