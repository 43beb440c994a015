package io.homestack.observability.loki;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.engine.EngineBinaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rendered pipeline through Alloy's own parser ({@code alloy-syntax}: github.com/grafana/alloy/syntax, whose parser
 * is the one Alloy v1.18.1 runs, built by tooling/k8s-test-binaries/build.sh). Syntax only: what the components accept
 * is {@code LokiBundleTest#alloysOwnValidatorIsNotRunHere}'s gap.
 */
class AlloySyntaxTest {

    private final BundleOutput output = BundleOutput.ofModule();

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void alloysParserAcceptsTheRenderedPipeline(String env) throws Exception {
        Result result = parse(env + "-loki-alloy.alloy", content(env));
        assertThat(result.exit()).as("alloy-syntax on %s's loki-alloy alloy.configMap.content:%n%s", env, result.output())
                .isZero();
        assertThat(result.output()).isEmpty();
    }

    /** The checker really checks: a pipeline broken on purpose is refused with the parser's file:line:col message. */
    @Test
    void aBrokenPipelineIsRefusedWithTheParsersPosition() throws Exception {
        String broken = content("k3d").replace("forward_to = [", "forward_to = [,");
        List<String> lines = broken.lines().toList();
        int line = 1 + lines.indexOf(lines.stream().filter(l -> l.contains("forward_to = [,")).findFirst().orElseThrow());

        Result result = parse("broken.alloy", broken);
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.output()).contains("broken.alloy:" + line + ":").contains("expected expression, got ,");
    }

    private String content(String env) {
        KubeObject app = output.object(env, "Application", "loki-alloy");
        return KubeObject.string(KubeObject.path(app.body(), "spec", "source", "helm", "valuesObject", "alloy",
                "configMap").get("content"));
    }

    private record Result(int exit, String output) {
    }

    private Result parse(String name, String content) throws IOException, InterruptedException {
        Path tool = EngineBinaries.require("alloy-syntax");
        Path file = work.resolve(name);
        Files.writeString(file, content);
        Process process = new ProcessBuilder(tool.toString(), file.getFileName().toString()).directory(work.toFile())
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("alloy-syntax finished").isTrue();
        return new Result(process.exitValue(), out);
    }
}
