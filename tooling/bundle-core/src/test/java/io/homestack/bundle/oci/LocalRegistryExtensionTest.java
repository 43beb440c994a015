package io.homestack.bundle.oci;

import io.homestack.bundle.render.ExternalTool;
import io.homestack.testsupport.TestTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** One registry per class, given to @BeforeAll and to every test, stopped after the class. */
class LocalRegistryExtensionTest {

    static final List<LocalRegistry> SEEN = new CopyOnWriteArrayList<>();

    @Test
    void oneRegistryServesTheWholeClassAndIsStoppedAfterIt() {
        ExternalTool.onPath("docker-registry").orElseThrow(() ->
                TestTools.missing("docker-registry not found on the PATH: apt-get install docker-registry"));
        SEEN.clear();

        EngineTestKit.engine("junit-jupiter").selectors(selectClass(UsesTheRegistry.class)).execute()
                .testEvents().assertStatistics(s -> s.succeeded(2).failed(0).skipped(0).aborted(0));

        assertThat(SEEN).hasSize(3).doesNotContainNull().containsOnly(SEEN.get(0));
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", SEEN.get(0).port()), 1000);
            }
        }).isInstanceOf(IOException.class);
    }

    @ExtendWith(LocalRegistryExtension.class)
    static class UsesTheRegistry {
        LocalRegistry registry;

        @BeforeAll
        static void before(LocalRegistry registry) {
            SEEN.add(registry);
        }

        @Test
        void one() {
            SEEN.add(registry);
        }

        @Test
        void two(LocalRegistry parameter) {
            assertThat(parameter).isSameAs(registry);
            SEEN.add(registry);
        }
    }
}
