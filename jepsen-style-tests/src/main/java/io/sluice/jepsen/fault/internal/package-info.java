/** One class per fault family, made by {@link io.sluice.jepsen.fault.internal.Faults#create}. */
package io.sluice.jepsen.fault.internal;
