package io.streamoffload.connect.dynamodb.it.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** Ports for servers that cannot be told to bind a port the OS picks, or must come back on the same one. */
final class Ports {
    private Ports() {
    }

    /**
     * A random port below the range the OS hands out to client sockets, so that no client connection is given it (a
     * TCP self-connect to a server that is down would hold it); taken by another server only by chance, which the
     * caller meets by trying another.
     */
    static int belowEphemeralRange() {
        int low = 32768;
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            low = Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            // not Linux: the usual default
        }
        return 10_000 + ThreadLocalRandom.current().nextInt(Math.max(1, low - 10_000));
    }
}
