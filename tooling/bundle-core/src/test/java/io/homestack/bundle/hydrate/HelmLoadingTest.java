package io.homestack.bundle.hydrate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * helm-java stays out of the way: loading bundle-core does not load the native library, hydrate does, and without
 * helm-java on the class path hydrate says what is missing. Each case runs in a fresh JVM, because the native library,
 * once loaded, stays for the life of the JVM. Linux only: it reads /proc/self/maps.
 */
@EnabledOnOs(OS.LINUX)
class HelmLoadingTest {

    @TempDir
    Path dir;

    @Test
    void loadingBundleCoreDoesNotLoadHelmHydratingDoes() throws Exception {
        Map<String, String> result = probe(classPath());

        assertThat(result).doesNotContainKey("unloadable").doesNotContainKey("error");
        assertThat(Integer.parseInt(result.get("classes"))).isGreaterThan(50);
        assertThat(result).containsEntry("nativeAfterClasses", "false").containsEntry("nativeAfterHydrate", "true");
        System.out.println("hydrate timings (fresh JVM, demo chart, 2 environments): " + result);
    }

    @Test
    void withoutHelmJavaOnTheClassPathHydrateSaysWhatIsMissing() throws Exception {
        List<String> withoutHelm = classPath().stream()
                .filter(entry -> !entry.contains("helm-java") && !entry.contains(File.separator + "jna")).toList();

        Map<String, String> result = probe(withoutHelm);

        System.out.println("without helm-java: " + result);
        assertThat(result).doesNotContainKey("unloadable").containsEntry("nativeAfterClasses", "false");
        assertThat(result.get("error")).startsWith("hydrate needs helm-java (com.marcnuri.helm-java:helm-java) on the"
                + " class path; it is an optional dependency of bundle-core");
    }

    private Map<String, String> probe(List<String> classPath) throws IOException, InterruptedException, URISyntaxException {
        Path classes = Path.of(Hydrator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, classPath), HelmLoadingProbe.class.getName(),
                classes.toString(), HydrateFixtures.bundleDir().toString(), HydrateFixtures.chartsDir().toString(),
                dir.resolve("work").toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        Map<String, String> result = new LinkedHashMap<>();
        output.lines().filter(l -> l.matches("[a-zA-Z]+=.*"))
                .forEach(l -> result.putIfAbsent(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        return result;
    }

    /** The test class path; surefire hides it behind a manifest-only jar in java.class.path. */
    private static List<String> classPath() {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(path.split(File.pathSeparator)).filter(s -> !s.isBlank()).toList();
    }
}
