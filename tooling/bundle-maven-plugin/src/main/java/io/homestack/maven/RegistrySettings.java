package io.homestack.maven;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.oci.Credentials;
import io.homestack.bundle.oci.RegistryTarget;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/** How the goals that speak to registries (push, mirror) reach one: HTTP or HTTPS, and settings.xml credentials. */
final class RegistrySettings {

    private RegistrySettings() {
    }

    /** Plain HTTP when asked, otherwise for local registries only. */
    static RegistryTarget target(String registry, String repositoryPrefix, Boolean plainHttp) {
        boolean http = plainHttp != null ? plainHttp : isLocal(registry);
        return http ? RegistryTarget.plainHttp(registry, repositoryPrefix) : RegistryTarget.https(registry, repositoryPrefix);
    }

    static boolean isLocal(String registry) {
        String host = registry.contains(":") ? registry.substring(0, registry.lastIndexOf(':')) : registry;
        return host.equals("localhost") || host.endsWith(".localhost") || host.startsWith("127.");
    }

    /** The credentials of the settings.xml server {@code id} (passwords may be encrypted); anonymous without one. */
    static Credentials credentials(MavenSession session, SettingsDecrypter decrypter, String id) {
        Server server = session.getSettings().getServer(id);
        if (server == null) {
            return Credentials.anonymous();
        }
        SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        for (SettingsProblem problem : result.getProblems()) {
            if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
                throw new BundleException("settings.xml server '" + id + "': cannot decrypt the password: "
                        + problem.getMessage());
            }
        }
        Server decrypted = result.getServer();
        if (decrypted.getUsername() == null) {
            return Credentials.anonymous();
        }
        return Credentials.basic(decrypted.getUsername(), decrypted.getPassword());
    }
}
