package io.homestack.bundle.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Debian's skopeo as an independent OCI client (layouts and registries). */
final class Skopeo {

    /** An empty auth file, so no user login changes what skopeo does. */
    private static final Path AUTH_FILE = emptyAuthFile();

    private Skopeo() {
    }

    static Exec.Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Exec.requireTool("skopeo", "skopeo").toString());
        command.addAll(List.of(args));
        return Exec.run(command, Map.of("REGISTRY_AUTH_FILE", AUTH_FILE.toString()));
    }

    private static Path emptyAuthFile() {
        try {
            Path file = Files.createTempFile("homestack-skopeo-auth-", ".json");
            file.toFile().deleteOnExit();
            return Files.writeString(file, "{\"auths\":{}}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
