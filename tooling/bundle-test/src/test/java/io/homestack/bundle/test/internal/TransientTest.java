package io.homestack.bundle.test.internal;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransientTest {

    /** What fabric8 (Vert.x) threw on the loaded CI machine, wrapped as the client wraps it. */
    static KubernetesClientException clientTimeout() {
        return new KubernetesClientException("An error has occurred.", new RuntimeException(
                "The timeout period of 10000ms has been exceeded while executing PATCH /apis/apiextensions.k8s.io/v1/"
                        + "customresourcedefinitions/applicationsets.argoproj.io for server null"));
    }

    @Test
    void timeoutsAndBusyAnswersAreTransientRejectionsAreNot() {
        assertThat(Transient.is(clientTimeout())).isTrue();
        assertThat(Transient.is(new KubernetesClientException("x", new TimeoutException()))).isTrue();
        assertThat(Transient.is(new KubernetesClientException("Too many requests", 429, null))).isTrue();
        assertThat(Transient.is(new KubernetesClientException("etcdserver: request timed out", 500, null))).isTrue();
        assertThat(Transient.is(new KubernetesClientException("Service Unavailable", 503, null))).isTrue();
        assertThat(Transient.is(new KubernetesClientException("An error has occurred.",
                new RuntimeException("Connection was closed")))).isTrue();
        assertThat(Transient.is(new KubernetesClientException(".spec.x: field not declared in schema", 500, null))).isFalse();
        assertThat(Transient.is(new KubernetesClientException("invalid", 422, null))).isFalse();
        assertThat(Transient.is(new KubernetesClientException("forbidden", 403, null))).isFalse();
    }

    @Test
    void retriesTransientFailuresUntilTheActionSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        String result = Transient.retry("test", Duration.ofSeconds(30), () -> {
            if (calls.incrementAndGet() < 3) {
                throw clientTimeout();
            }
            return "applied";
        });
        assertThat(result).isEqualTo("applied");
        assertThat(calls).hasValue(3);
    }

    @Test
    void aRejectionIsThrownAtOnceAndTheLastTimeoutWhenTheBudgetIsSpent() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> Transient.retry("test", Duration.ofSeconds(30), () -> {
            calls.incrementAndGet();
            throw new KubernetesClientException("invalid", 422, null);
        })).hasMessage("invalid");
        assertThat(calls).hasValue(1);
        assertThatThrownBy(() -> Transient.retry("test", Duration.ofMillis(500), () -> {
            throw clientTimeout();
        })).isInstanceOf(KubernetesClientException.class).hasRootCauseMessage(clientTimeout().getCause().getMessage());
    }
}
