package io.sluice.client.cli;

import io.sluice.client.common.ConfigException;
import io.sluice.client.errors.DeliveryTimeoutException;
import io.sluice.client.errors.NetworkException;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.errors.SluiceTimeoutException;
import io.sluice.client.errors.UnknownTopicOrPartitionException;
import io.sluice.proto.v1.ErrorCode;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns a failure into the one line a user reads: what went wrong, and what to try. */
final class Failures {
    private Failures() {
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The message for {@code failure} of a command talking to {@code bootstrap}. */
    static String describe(Throwable failure, String bootstrap) {
        Throwable t = unwrap(failure);
        if (t instanceof DeliveryTimeoutException) {
            // The producer retried until delivery.timeout.ms; its message names the last error.
            return t.getMessage() + (t.getCause() instanceof SluiceException last
                    && last.errorCode() == ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS
                    ? "; 'bin/sluice topics describe' shows each partition's ISR and the topic's"
                            + " min.insync.replicas" : "");
        }
        if (t instanceof SluiceTimeoutException && t.getCause() instanceof SluiceException answer
                && !(answer instanceof SluiceTimeoutException)) {
            // The cluster answered, with an error the client waited on until it gave up (a missing topic).
            return t.getMessage() + (answer instanceof UnknownTopicOrPartitionException
                    ? "; 'bin/sluice topics list' shows the topics, 'bin/sluice topics create' makes one" : "");
        }
        if (t instanceof SluiceTimeoutException && findNetwork(t) == null) {
            return "no answer from the cluster at " + bootstrap + " in time (--command-timeout-ms): " + t.getMessage();
        }
        NetworkException network = findNetwork(t);
        if (network != null) {
            return "cannot reach the cluster at " + bootstrap + " (" + detail(network)
                    + "); is a node running there? 'bin/sluice server --dev' starts one, "
                    + "--bootstrap-server names another";
        }
        if (t instanceof ConfigException) {
            return "invalid client setting: " + t.getMessage();
        }
        if (t instanceof SluiceException) {
            return t.getMessage();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static NetworkException findNetwork(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof NetworkException n) {
                return n;
            }
        }
        return null;
    }

    private static String detail(NetworkException e) {
        String m = e.getMessage();
        int open = m.indexOf('(');
        int close = m.lastIndexOf(')');
        return open >= 0 && close > open ? m.substring(open + 1, close) : m;
    }
}
