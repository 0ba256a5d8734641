package io.sluice.jepsen.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for {@code sluice server}, launched by the harness the same way (same arguments,
 * same properties file, {@code SLUICE_JAVA_OPTS}), so that launcher, network and faults can be
 * tested on real processes before the broker exists. It listens on {@code listen.address} with
 * TCP and UDP, writes a segment-like file into {@code data.dir} if there is none, and prints
 * {@code ready}. One command per TCP line:
 * {@code echo X} → X; {@code pid}; {@code clock} (the clock-offset file's content);
 * {@code property} (the clock-offset file's path); {@code connect host:port} → ok or fail;
 * {@code udp host:port token} sends a datagram; {@code seen} → tokens received by UDP;
 * {@code exit N} exits with code N.
 */
public final class EchoNode {
    private static final List<String> SEEN = new CopyOnWriteArrayList<>();

    private EchoNode() {
    }

    public static void main(String[] args) throws IOException {
        Path config = null;
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--config")) {
                config = Path.of(args[i + 1]);
            }
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        String listen = properties.getProperty("listen.address");
        int colon = listen.lastIndexOf(':');
        InetSocketAddress address = new InetSocketAddress(listen.substring(0, colon),
                Integer.parseInt(listen.substring(colon + 1)));
        writeSegment(Path.of(properties.getProperty("data.dir")));
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(address);
        DatagramSocket udp = new DatagramSocket(address);
        Thread receiver = new Thread(() -> receive(udp), "udp");
        receiver.setDaemon(true);
        receiver.start();
        System.out.println("listening on " + listen);
        System.out.println("ready");
        System.out.flush();
        while (true) {
            Socket client = server.accept();
            Thread handler = new Thread(() -> serve(client), "client");
            handler.setDaemon(true);
            handler.start();
        }
    }

    private static void writeSegment(Path dataDir) throws IOException {
        Path segment = dataDir.resolve("queue-0").resolve("00000000000000000000.log");
        if (Files.exists(segment)) {
            return;
        }
        Files.createDirectories(segment.getParent());
        byte[] bytes = new byte[8192];
        for (int i = 0; i < 4096; i++) {
            bytes[i] = (byte) (1 + i % 250);
        }
        Files.write(segment, bytes);
    }

    private static void receive(DatagramSocket udp) {
        byte[] buffer = new byte[512];
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (IOException e) {
                return;
            }
            SEEN.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
        }
    }

    private static void serve(Socket client) {
        try (client; BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                StandardCharsets.UTF_8)); PrintWriter out = new PrintWriter(client.getOutputStream(), true,
                StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(answer(line));
            }
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private static String answer(String line) throws IOException {
        String[] words = line.split(" ", 3);
        String offsetFile = System.getProperty("sluice.clock.offset.file");
        switch (words[0]) {
            case "echo":
                return words.length > 1 ? line.substring(5) : "";
            case "pid":
                return Long.toString(ProcessHandle.current().pid());
            case "clock":
                return offsetFile == null ? "none" : Files.readString(Path.of(offsetFile)).strip();
            case "property":
                return String.valueOf(offsetFile);
            case "connect":
                return connect(words[1]);
            case "udp":
                return udp(words[1], words[2]);
            case "seen":
                return String.join(",", SEEN);
            case "exit":
                System.exit(Integer.parseInt(words[1]));
                return "";
            default:
                return "unknown command " + words[0];
        }
    }

    private static String connect(String target) {
        int colon = target.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.substring(0, colon),
                    Integer.parseInt(target.substring(colon + 1))), 1_000);
            return "ok";
        } catch (IOException e) {
            return "fail " + e.getMessage();
        }
    }

    private static String udp(String target, String token) throws IOException {
        int colon = target.lastIndexOf(':');
        byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(target.substring(0, colon),
                    Integer.parseInt(target.substring(colon + 1)))));
            return "sent";
        } catch (IOException e) {
            return "fail " + e.getMessage();
        }
    }
}
