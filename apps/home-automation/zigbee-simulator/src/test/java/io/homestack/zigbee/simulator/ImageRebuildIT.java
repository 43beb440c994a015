package io.homestack.zigbee.simulator;

import io.homestack.bundle.oci.Digests;
import io.homestack.bundle.oci.OciLayout;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image is reproducible: Jib builds it a second time (same Maven, same repository, offline) into another file,
 * and the manifest digest and the whole tarball are the same as the build's (target/oci, target/jib-image.tar).
 * scripts/check-reproducible.sh makes the same comparison across a full clone, a shallow clone and a tarball.
 */
class ImageRebuildIT {

    @Test
    void aSecondBuildGivesTheSameDigestAndBytes() throws Exception {
        Path module = Path.of(System.getProperty("homestack.module.dir"));
        Path again = Files.createDirectories(module.resolve("target/rebuild"));
        Path mvn = Path.of(System.getProperty("maven.home"), "bin", "mvn");
        List<String> command = List.of(mvn.toString(), "-B", "-o", "-q", "-f", module.resolve("pom.xml").toString(),
                "-Dmaven.repo.local=" + System.getProperty("maven.repo.local"), "jib:buildTar",
                "-Djib.outputPaths.tar=" + again.resolve("jib-image.tar"),
                "-Djib.outputPaths.digest=" + again.resolve("jib-image.digest"),
                "-Djib.outputPaths.imageId=" + again.resolve("jib-image.id"),
                "-Djib.outputPaths.imageJson=" + again.resolve("jib-image.json"));
        Process build = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(again.resolve("build.log").toFile()).start();
        assertThat(build.waitFor(5, TimeUnit.MINUTES)).as("the second build finished").isTrue();
        assertThat(build.exitValue()).as(String.join(" ", command) + "\n" + Files.readString(again.resolve("build.log")))
                .isZero();

        String built = OciLayout.read(Path.of(System.getProperty("homestack.image.layout"))).manifestDigest();
        assertThat(Files.readString(again.resolve("jib-image.digest")).strip()).isEqualTo(built);
        assertThat(Digests.sha256(again.resolve("jib-image.tar")))
                .isEqualTo(Digests.sha256(module.resolve("target/jib-image.tar")));
        System.out.println("[homestack] zigbee-simulator image built twice: " + built);
    }
}
