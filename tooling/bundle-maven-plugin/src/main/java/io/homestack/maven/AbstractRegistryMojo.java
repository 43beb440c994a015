package io.homestack.maven;

import io.homestack.bundle.oci.RegistryClient;
import io.homestack.bundle.oci.RegistryTarget;
import io.homestack.bundle.oci.RetryPolicy;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

import java.time.Duration;

/**
 * The goals that speak to registries (push, mirror): plain HTTP or HTTPS, settings.xml credentials and retries, the
 * same parameters for each, one way to build a client ({@link RegistrySettings}).
 */
abstract class AbstractRegistryMojo extends AbstractBundleMojo {

    /** Plain HTTP instead of HTTPS; on by default for localhost registries. */
    @Parameter(property = "homestack.plainHttp")
    protected Boolean plainHttp;

    /** Attempts per request before giving up on an unreachable or failing registry. */
    @Parameter(property = "homestack.push.attempts", defaultValue = "4")
    private int attempts;

    /** Delay before the first retry; doubles each attempt. */
    @Parameter(property = "homestack.push.retryDelayMillis", defaultValue = "500")
    private long retryDelayMillis;

    @Parameter(defaultValue = "${session}", readonly = true)
    protected MavenSession session;

    @Component
    private SettingsDecrypter decrypter;

    /** HTTP for local registries (or when asked), HTTPS otherwise. */
    protected RegistryTarget target(String registry, String repositoryPrefix) {
        return RegistrySettings.target(registry, repositoryPrefix, plainHttp);
    }

    /** A client with the settings.xml server {@code serverId}'s credentials (anonymous without one) and the retries. */
    protected RegistryClient client(RegistryTarget target, String serverId) {
        return RegistryClient.builder(target)
                .credentials(RegistrySettings.credentials(session, decrypter, serverId))
                .retryPolicy(new RetryPolicy(attempts, Duration.ofMillis(retryDelayMillis)))
                .log(log())
                .build();
    }
}
