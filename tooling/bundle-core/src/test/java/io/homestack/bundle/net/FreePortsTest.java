package io.homestack.bundle.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FreePortsTest {

    @TempDir
    Path locks;

    @Test
    void portsComeFromJustBelowTheEphemeralRange() {
        assertThat(FreePorts.rangeBelow(32768)).containsExactly(20768, 32768);
        assertThat(FreePorts.rangeBelow(5000)).containsExactly(1025, 5000);
        int low = FreePorts.ephemeralLow();
        assertThat(low).as("ip_local_port_range read whole (procfs files report no real size)").isGreaterThan(1024);
        int port = FreePorts.next();
        assertThat(port).isBetween(FreePorts.rangeBelow(low)[0], low - 1);
    }

    @Test
    void twoHoldersOfTheSameLockDirectoryNeverShareABlockNorAPort() {
        int low = FreePorts.rangeBelow(FreePorts.ephemeralLow())[0];
        int[] twoBlocks = {low, low + 2 * FreePorts.BLOCK};
        FreePorts a = new FreePorts(twoBlocks, locks);
        FreePorts b = new FreePorts(twoBlocks, locks);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            assertThat(seen.add(a.take())).isTrue();
            assertThat(seen.add(b.take())).isTrue();
        }
        assertThat(seen.stream().filter(p -> p < low + FreePorts.BLOCK)).hasSize(10);
    }

    @Test
    void aPortSomeoneListensOnIsSkipped() throws IOException {
        int low = FreePorts.rangeBelow(FreePorts.ephemeralLow())[0];
        int[] oneBlock = {low + 10 * FreePorts.BLOCK, low + 11 * FreePorts.BLOCK};
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress("127.0.0.1", oneBlock[0]));
            assertThat(FreePorts.nothingListensOn(oneBlock[0])).isFalse();
            assertThat(new FreePorts(oneBlock, locks).take()).isNotEqualTo(oneBlock[0]).isBetween(oneBlock[0] + 1, oneBlock[1] - 1);
        }
    }

    @Test
    void whenEveryBlockIsHeldElsewhereTheErrorSaysWhere() {
        int low = FreePorts.rangeBelow(FreePorts.ephemeralLow())[0];
        int[] oneBlock = {low + 20 * FreePorts.BLOCK, low + 21 * FreePorts.BLOCK};
        new FreePorts(oneBlock, locks).take();
        FreePorts other = new FreePorts(oneBlock, locks);
        assertThatThrownBy(other::take).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("held by another process").hasMessageContaining(locks.toString());
    }
}
