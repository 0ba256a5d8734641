/** Controller internals: sessions, elections, replica placement, and the admin request handlers. */
package io.sluice.metastore.controller.internal;
