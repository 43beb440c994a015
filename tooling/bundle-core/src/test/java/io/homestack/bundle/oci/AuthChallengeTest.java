package io.homestack.bundle.oci;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AuthChallengeTest {

    @Test
    void parsesQuotedParametersContainingCommas() {
        AuthChallenge c = AuthChallenge.parse("Bearer realm=\"https://auth.example/token\",service=\"registry.example\","
                + "scope=\"repository:homestack/media:pull,push\",error=\"insufficient_scope\"");

        assertThat(c.isBearer()).isTrue();
        assertThat(c.param("realm")).isEqualTo("https://auth.example/token");
        assertThat(c.param("service")).isEqualTo("registry.example");
        assertThat(c.param("scope")).isEqualTo("repository:homestack/media:pull,push");
        assertThat(c.param("error")).isEqualTo("insufficient_scope");
    }

    @Test
    void acceptsUnquotedValuesSpacesAndAnyCase() {
        AuthChallenge c = AuthChallenge.parse("bearer Realm=https://a/token, service=s ,scope=\"x\\\"y\"");
        assertThat(c.isBearer()).isTrue();
        assertThat(c.params()).containsEntry("realm", "https://a/token").containsEntry("service", "s")
                .containsEntry("scope", "x\"y");
        assertThat(AuthChallenge.parse("Basic realm=\"Registry Realm\"").isBasic()).isTrue();
    }

    @Test
    void prefersBearerOverBasic() {
        assertThat(AuthChallenge.select(List.of("Basic realm=\"r\"", "Bearer realm=\"https://t\""))).get()
                .extracting(AuthChallenge::scheme).isEqualTo("bearer");
        assertThat(AuthChallenge.select(List.of("Negotiate"))).isEmpty();
    }

    @Test
    void retryDelaysDoubleUpToTheCap() {
        RetryPolicy policy = RetryPolicy.DEFAULT;
        assertThat(policy.attempts()).isEqualTo(4);
        assertThat(policy.delayAfter(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.delayAfter(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delayAfter(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.delayAfter(20)).isEqualTo(Duration.ofSeconds(30));
    }
}
