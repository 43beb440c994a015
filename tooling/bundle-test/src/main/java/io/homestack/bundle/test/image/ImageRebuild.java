package io.homestack.bundle.test.image;

import io.homestack.bundle.oci.Digests;
import io.homestack.bundle.oci.OciLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Java component's image built a second time by Jib (same Maven, same local repository, offline) into
 * target/rebuild, for comparison with the build's own (target/oci, target/jib-image.tar). Run from the component's
 * failsafe ITs, whose system properties (set by tooling/component-parent) name the module, Maven and the repository.
 */
public record ImageRebuild(String builtDigest, String rebuiltDigest, String builtTarSha256, String rebuiltTarSha256) {

    public static ImageRebuild run() throws IOException, InterruptedException {
        Path module = Path.of(property("homestack.module.dir"));
        Path again = Files.createDirectories(module.resolve("target/rebuild"));
        Path mvn = Path.of(property("maven.home"), "bin", "mvn");
        List<String> command = List.of(mvn.toString(), "-B", "-o", "-q", "-f", module.resolve("pom.xml").toString(),
                "-Dmaven.repo.local=" + property("maven.repo.local"),
                // The base image tar the first build used, also when the build was given another cache directory.
                "-Dhomestack.baseImage=" + property("homestack.baseImage"), "jib:buildTar",
                "-Djib.outputPaths.tar=" + again.resolve("jib-image.tar"),
                "-Djib.outputPaths.digest=" + again.resolve("jib-image.digest"),
                "-Djib.outputPaths.imageId=" + again.resolve("jib-image.id"),
                "-Djib.outputPaths.imageJson=" + again.resolve("jib-image.json"));
        Path log = again.resolve("build.log");
        Process build = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!build.waitFor(5, TimeUnit.MINUTES)) {
            build.destroyForcibly();
            throw new AssertionError("the second build did not finish in 5 minutes: " + String.join(" ", command));
        }
        if (build.exitValue() != 0) {
            throw new AssertionError("the second build failed (exit " + build.exitValue() + "): "
                    + String.join(" ", command) + "\n" + Files.readString(log));
        }
        String built = OciLayout.read(Path.of(property("homestack.image.layout"))).manifestDigest();
        return new ImageRebuild(built, Files.readString(again.resolve("jib-image.digest")).strip(),
                Digests.sha256(module.resolve("target/jib-image.tar")), Digests.sha256(again.resolve("jib-image.tar")));
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set: run this from a component's"
                    + " failsafe ITs (tooling/component-parent sets it)");
        }
        return value;
    }
}
