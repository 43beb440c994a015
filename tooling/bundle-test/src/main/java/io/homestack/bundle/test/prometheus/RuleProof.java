package io.homestack.bundle.test.prometheus;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.test.prometheus.RuleFiles.RuleFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The alert proofs of a bundle: its rendered PrometheusRules pass {@code promtool check rules}, and its promtool unit
 * tests ({@code src/test/promtool/*.yaml}, whose {@code rule_files} name {@link RuleFiles#fileName} files) pass
 * {@code promtool test rules}, with every alert tested both firing and silent.
 */
public final class RuleProof {

    private final Promtool promtool;
    private final Path workDir;

    public RuleProof(Promtool promtool, Path workDir) {
        this.promtool = promtool;
        this.workDir = workDir;
    }

    /** The rule files of these rendered objects, checked by promtool; fails naming each object and promtool's message. */
    public List<RuleFile> checkedRules(List<KubeObject> rendered) {
        List<RuleFile> files = RuleFiles.write(rendered, workDir);
        if (files.isEmpty()) {
            throw new AssertionError("no PrometheusRule among the " + rendered.size() + " rendered objects");
        }
        List<String> failures = new ArrayList<>();
        for (RuleFile f : files) {
            Promtool.Run run = promtool.checkRules(workDir, List.of(f.file().getFileName()));
            if (!run.ok()) {
                failures.add(f.describe() + " is rejected by " + run.describe());
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(String.join("\n", failures));
        }
        return files;
    }

    /** Runs the unit tests in testsDir against the rule files; fails with promtool's report. */
    public void unitTests(List<RuleFile> rules, Path testsDir) {
        List<Path> tests = copyTests(testsDir);
        Promtool.Run run = promtool.testRules(workDir, tests.stream().map(Path::getFileName).toList());
        if (!run.ok()) {
            throw new AssertionError("promtool unit tests of " + testsDir + " against "
                    + rules.stream().map(RuleFile::describe).toList() + " failed: " + run.describe());
        }
        List<String> untested = untested(RuleFiles.alertNames(rules), tests);
        if (!untested.isEmpty()) {
            throw new AssertionError("alerts without a promtool unit test in " + testsDir + " that makes them fire"
                    + " (non-empty exp_alerts) and one that keeps them silent (exp_alerts: []): " + untested);
        }
    }

    /** "Alert (firing|silent)" for every alert that lacks a firing or a silent alert_rule_test case. */
    static List<String> untested(List<String> alerts, List<Path> testFiles) {
        Set<String> firing = new LinkedHashSet<>();
        Set<String> silent = new LinkedHashSet<>();
        for (Path file : testFiles) {
            Map<String, Object> doc = read(file);
            for (Object test : KubeObject.list(doc.get("tests"))) {
                for (Object c : KubeObject.list(KubeObject.map(test).get("alert_rule_test"))) {
                    Map<String, Object> caseMap = KubeObject.map(c);
                    String name = KubeObject.string(caseMap.get("alertname"));
                    (KubeObject.list(caseMap.get("exp_alerts")).isEmpty() ? silent : firing).add(name);
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (String alert : alerts) {
            if (!firing.contains(alert)) {
                missing.add(alert + " (firing)");
            }
            if (!silent.contains(alert) && !alert.equals("Watchdog")) { // a Watchdog is never silent
                missing.add(alert + " (silent)");
            }
        }
        return missing;
    }

    private List<Path> copyTests(Path testsDir) {
        try (Stream<Path> files = Files.list(testsDir)) {
            List<Path> tests = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            if (tests.isEmpty()) {
                throw new AssertionError("no promtool unit test files (*.yaml) in " + testsDir);
            }
            List<Path> copies = new ArrayList<>();
            for (Path t : tests) {
                copies.add(Files.copy(t, workDir.resolve(t.getFileName()), StandardCopyOption.REPLACE_EXISTING));
            }
            return copies;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the promtool unit tests in " + testsDir, e);
        }
    }

    private static Map<String, Object> read(Path file) {
        try {
            return Yaml.readMap(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
