package io.homestack.bundle.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the local processes the tests start (registries, API servers, engines), handed out so that they do not
 * clash with anyone else's between "this port is free" and the child process binding it.
 * <p>
 * A port from the kernel ({@code new ServerSocket(0)}) is an ephemeral one: any outgoing connection on the machine
 * (Maven downloading, a client of an API server) may take it a moment later, and did ("bind: address already in use"
 * in CI). So ports come from just below the ephemeral range, which the kernel never picks for connections. Two JVMs on
 * the machine (the build and the fresh-clone check beside it) stay apart by blocks: each JVM holds an exclusive file
 * lock per block of {@value #BLOCK} ports it hands out from, until it exits. Within a block no port is handed out twice.
 */
public final class FreePorts {

    static final int BLOCK = 50;
    private static final int RANGE = 12_000;
    private static final Path LOCKS = Path.of(System.getProperty("java.io.tmpdir"), "homestack-ports");
    private static final FreePorts INSTANCE = new FreePorts(rangeBelow(ephemeralLow()), LOCKS);

    private final int first;
    private final int blocks;
    private final Path lockDir;
    private final List<FileLock> held = new ArrayList<>();
    private int next;
    private int end;

    FreePorts(int[] range, Path lockDir) {
        this.first = range[0];
        this.blocks = (range[1] - range[0]) / BLOCK;
        this.lockDir = lockDir;
        if (blocks < 1) {
            throw new IllegalArgumentException("port range " + range[0] + "-" + range[1] + " is smaller than a block");
        }
    }

    /** A port nothing listens on, outside the ephemeral range, not handed out to anyone else on this machine. */
    public static int next() {
        return INSTANCE.take();
    }

    synchronized int take() {
        while (true) {
            if (next >= end) {
                claimBlock();
            }
            int port = next++;
            if (nothingListensOn(port)) {
                return port;
            }
        }
    }

    private void claimBlock() {
        try {
            Files.createDirectories(lockDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + lockDir + " (port block locks)", e);
        }
        int start = ThreadLocalRandom.current().nextInt(blocks);
        for (int i = 0; i < blocks; i++) {
            int block = (start + i) % blocks;
            FileLock lock = tryLock(lockDir.resolve("block-" + block + ".lock"));
            if (lock != null) {
                held.add(lock);
                next = first + block * BLOCK;
                end = next + BLOCK;
                return;
            }
        }
        throw new IllegalStateException("every block of ports " + first + "-" + (first + blocks * BLOCK)
                + " is held by another process (locks in " + lockDir + ")");
    }

    /** The channel stays open for the life of the JVM: closing it would release the lock. */
    private static FileLock tryLock(Path file) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
            }
            return lock;
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            return null;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // only a failed lock's channel: nothing to keep
        }
    }

    /** Without SO_REUSEADDR and on every address, so a listener on any address (or a lingering one) counts. */
    static boolean nothingListensOn(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The {@value #RANGE} ports just below the ephemeral range (above 1024). */
    static int[] rangeBelow(int ephemeralLow) {
        int low = Math.max(1025, ephemeralLow - RANGE);
        return new int[] {low, ephemeralLow};
    }

    /**
     * Linux's {@code ip_local_port_range}; 32768 (Linux's default) where it cannot be read. Read line by line:
     * {@code Files.readString} returns only its first byte (procfs reports a size it does not have).
     */
    static int ephemeralLow() {
        try (BufferedReader reader = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            return Integer.parseInt(reader.readLine().trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }
}
