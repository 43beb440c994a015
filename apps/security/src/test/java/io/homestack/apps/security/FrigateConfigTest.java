package io.homestack.apps.security;

import io.homestack.bundle.test.BundleRenders;
import io.homestack.bundle.test.PinnedVersions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frigate's configuration as each environment renders it (the ConfigMap's config.yml), parsed by Frigate's own config
 * model of the pinned release ({@link FrigateConfigModel}), and what that model and the bundle's detector rule do with
 * broken copies of it. Frigate itself accepts a config without detectors (it falls back to one CPU detector) and an
 * empty one: the rule catches those, and the message says what Frigate would have done.
 */
class FrigateConfigTest {

    /** The detector each environment must run: the GPU's ONNX (TensorRT) on k3s, the CPU's on k3d (no accelerator). */
    static final Map<String, List<String>> DETECTORS = Map.of("k3d", List.of("cpu"), "k3s", List.of("onnx"));
    private static final String DETECTORS_BLOCK = "(?m)^detectors:\\n(?:(?:[ #].*)?\\n)*";

    private final BundleRenders output = BundleRenders.ofModule();
    private FrigateConfigModel model;
    private String version;

    @BeforeEach
    void model() {
        model = FrigateConfigModel.locate(output);
        version = PinnedVersions.of("FRIGATE_VERSION").replaceFirst("^v", "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theRenderedConfigPassesFrigatesOwnModelWithTheEnvironmentsDetectorAndNoCamera(String env) {
        FrigateConfigModel.Check check = rendered(env, FrigateObjects.config(output, env));

        FrigateConfigModel.Result result = model.check(List.of(check));

        String type = DETECTORS.get(env).get(0);
        assertThat(result.lines()).as("Frigate's log: %s", result.log())
                .containsExactly(check.label() + ": OK detectors=" + type + ":" + type + " cameras=0");
        assertThat(result.exitCode()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void aConfigWithoutDetectorsFailsNamingTheFileAndWhatFrigateWouldHaveDone(String env) {
        String config = FrigateObjects.config(output, env);
        assertThat(config).containsPattern(DETECTORS_BLOCK);
        FrigateConfigModel.Check check = broken(env, "no-detectors", config.replaceAll(DETECTORS_BLOCK, ""));

        FrigateConfigModel.Result result = model.check(List.of(check));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.lines()).containsExactly(check.label() + ": no `detectors` declared. Frigate " + version
                + " accepts that and falls back to its default {'cpu': {'type': 'cpu'}} (FrigateConfig.detectors);"
                + " the bundle's rule: every config declares its detectors, here of type " + DETECTORS.get(env).get(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void anEmptyDetectorsKeyIsFrigatesOwnValidationError(String env) {
        FrigateConfigModel.Check check = broken(env, "null-detectors",
                FrigateObjects.config(output, env).replaceAll(DETECTORS_BLOCK, "detectors:\n"));

        FrigateConfigModel.Result result = model.check(List.of(check));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(String.join("\n", result.lines())).startsWith(check.label() + ": Frigate " + version
                        + " refuses it: ValidationError: 1 validation error for FrigateConfig\ndetectors\n")
                .contains("Input should be a valid dictionary");
    }

    @Test
    void theCpuDetectorOnK3sBreaksTheGpuRule() {
        FrigateConfigModel.Check check = broken("k3s", "cpu-detector", FrigateObjects.config(output, "k3s")
                .replaceAll(DETECTORS_BLOCK, "detectors:\n  cpu:\n    type: cpu\n"));

        FrigateConfigModel.Result result = model.check(List.of(check));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.lines()).singleElement().asString().startsWith(check.label()
                + ": detectors {'cpu': 'cpu'} are not of type onnx, which this environment requires");
    }

    /** The model is Frigate's, strict as at start: an unknown key (a typo) is refused with Frigate's message. */
    @Test
    void aMisspelledKeyIsRefusedByFrigatesModel() {
        FrigateConfigModel.Check check = broken("k3s", "typo", FrigateObjects.config(output, "k3s")
                .replace("\nrecord:\n", "\nrecrod:\n"));

        FrigateConfigModel.Result result = model.check(List.of(check));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(String.join("\n", result.lines())).startsWith(check.label() + ": Frigate " + version + " refuses it")
                .contains("recrod").contains("Extra inputs are not permitted");
    }

    private FrigateConfigModel.Check rendered(String env, String content) {
        Path file = FrigateConfigModel.write(output.bundleDir().resolve("target/frigate-config/" + env + "/config.yml"),
                content);
        return new FrigateConfigModel.Check(file, DETECTORS.get(env), output.bundleDir().relativize(file) + " (ConfigMap "
                + SecurityBundleTest.NAMESPACE + "/" + FrigateObjects.configMap(output, env).name() + ", " + env + ")");
    }

    private FrigateConfigModel.Check broken(String env, String name, String content) {
        Path file = FrigateConfigModel.write(output.bundleDir().resolve("target/frigate-config/" + env + "-" + name
                + "/config.yml"), content);
        return new FrigateConfigModel.Check(file, DETECTORS.get(env), output.bundleDir().relativize(file).toString());
    }
}
