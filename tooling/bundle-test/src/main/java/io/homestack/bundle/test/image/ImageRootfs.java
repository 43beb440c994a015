package io.homestack.bundle.test.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.homestack.bundle.oci.Descriptor;
import io.homestack.bundle.oci.OciLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An image of an OCI layout unpacked the way a container runtime does it: every layer in order into one root
 * filesystem (GNU tar, as root: owners, modes and links as the layers give them), and its config's entrypoint, user and
 * environment. Jib writes no whiteouts; one in a layer fails here rather than being silently ignored.
 */
public record ImageRootfs(Path root, List<String> entrypoint, String user, List<String> env) {

    public static ImageRootfs unpack(Path layout, Path root) throws IOException, InterruptedException {
        OciLayout image = OciLayout.read(layout);
        Files.createDirectories(root);
        for (Descriptor layer : image.manifest().layers()) {
            Process tar = new ProcessBuilder("tar", "-xzf", image.blobPath(layer.digest()).toString(), "-C",
                    root.toString(), "--numeric-owner").redirectErrorStream(true).start();
            String output = new String(tar.getInputStream().readAllBytes());
            if (!tar.waitFor(120, TimeUnit.SECONDS) || tar.exitValue() != 0) {
                throw new IllegalStateException("tar could not unpack layer " + layer.digest() + ": " + output);
            }
        }
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> whiteouts = files.filter(p -> p.getFileName().toString().startsWith(".wh.")).toList();
            if (!whiteouts.isEmpty()) {
                throw new IllegalStateException("the layers have whiteouts, which this unpacking does not apply: " + whiteouts);
            }
        }
        JsonNode config = new ObjectMapper().readTree(image.blobPath(image.manifest().config().digest()).toFile())
                .path("config");
        return new ImageRootfs(root, strings(config.path("Entrypoint")), config.path("User").asText(""),
                strings(config.path("Env")));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
