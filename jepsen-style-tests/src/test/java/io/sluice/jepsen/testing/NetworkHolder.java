package io.sluice.jepsen.testing;

import io.sluice.jepsen.net.NamespaceNetwork;
import io.sluice.jepsen.os.Commands;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * A harness that dies without cleaning up: builds a namespace network, starts a process inside
 * it, prints {@code prefix=...} and {@code pid=...}, and waits to be SIGKILLed (which skips every
 * shutdown hook). Tests use it to prove that the next run removes what a dead run left.
 */
public final class NetworkHolder {
    private NetworkHolder() {
    }

    public static void main(String[] args) throws Exception {
        NamespaceNetwork network = NamespaceNetwork.create(2, line -> { });
        List<String> command = new ArrayList<>(network.launchPrefix(1));
        command.addAll(List.of(Commands.find("sleep").orElseThrow().toString(), "600"));
        Process inside = new ProcessBuilder(command).redirectOutput(new File("/dev/null")).start();
        System.out.println("prefix=" + network.prefix());
        System.out.println("pid=" + inside.pid());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
