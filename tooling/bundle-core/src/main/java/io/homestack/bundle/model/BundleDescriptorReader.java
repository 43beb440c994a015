package io.homestack.bundle.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.Yaml;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Reads {@code bundle.yaml} strictly: unknown keys, wrong types and missing fields are errors with a line number. */
public final class BundleDescriptorReader {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    /** Exact versions only: no ranges, wildcards or "latest", so Argo CD never floats. */
    private static final Pattern EXACT_VERSION = Pattern.compile("v?\\d+\\.\\d+\\.\\d+([-.][0-9A-Za-z.-]+)?");

    private final ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public BundleDescriptor read(Path file) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new BundleException(file + ": not found; every bundle needs a bundle.yaml (see docs/bundles.md)");
        }
        String text = BundleInputs.read(file.toAbsolutePath().getParent(), file, file.toString());
        Yaml.check(text, file.toString());
        BundleDescriptor descriptor;
        try {
            descriptor = mapper.readValue(text, BundleDescriptor.class);
        } catch (JsonProcessingException e) {
            throw new BundleException(describe(file, text, e), e);
        }
        if (descriptor == null) {
            throw new BundleException(file + ": is empty; expected at least 'name' and 'group'");
        }
        List<String> problems = check(descriptor);
        if (!problems.isEmpty()) {
            throw new BundleException(file + ": " + String.join("; ", problems));
        }
        return descriptor;
    }

    private static String describe(Path file, String text, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? file.toString() : file + " line " + at.getLineNr() + ", column " + at.getColumnNr();
        String field = e instanceof JsonMappingException m ? pathOf(m, e instanceof UnrecognizedPropertyException) : "";
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            where = at == null ? where : file + " line " + keyLine(text, u.getPropertyName(), at.getLineNr());
            return where + ": unknown key '" + u.getPropertyName() + "'" + (field.isEmpty() ? "" : " in " + field)
                    + "; expected one of: " + known;
        }
        if (e instanceof InvalidFormatException f) {
            return where + ": '" + field + "' has an invalid value '" + f.getValue() + "'";
        }
        if (e instanceof MismatchedInputException m) {
            String expected = m.getTargetType() == null ? "another type" : expectedName(m.getTargetType());
            return field.isEmpty() ? file + ": must be a YAML mapping (name: ..., group: ...)"
                    : where + ": '" + field + "' must be " + expected;
        }
        if (e instanceof JsonMappingException) {
            return where + ": '" + field + "' has a value of the wrong type";
        }
        return Yaml.describe(file.toString(), e);
    }

    /** The dotted path of the failing field; for an unknown key, the path of the mapping that holds it. */
    private static String pathOf(JsonMappingException e, boolean parentOnly) {
        StringBuilder path = new StringBuilder();
        List<JsonMappingException.Reference> refs = e.getPath();
        for (JsonMappingException.Reference ref : parentOnly ? refs.subList(0, Math.max(0, refs.size() - 1)) : refs) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /**
     * Jackson reports an unknown key after it has skipped the key's value; the key itself is on the last line at or
     * before that position that starts with it.
     */
    private static int keyLine(String text, String key, int reported) {
        String[] lines = text.split("\n", -1);
        Pattern start = Pattern.compile("^\\s*(-\\s+)?[\"']?" + Pattern.quote(key) + "[\"']?\\s*:.*");
        for (int i = Math.min(reported, lines.length) - 1; i >= 0; i--) {
            if (start.matcher(lines[i]).matches()) {
                return i + 1;
            }
        }
        return reported;
    }

    private static String expectedName(Class<?> type) {
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == String.class) {
            return "a string";
        }
        return "a mapping";
    }

    private static List<String> check(BundleDescriptor d) {
        List<String> problems = new ArrayList<>();
        requireName(problems, "name", d.name());
        if (d.group() == null) {
            problems.add("'group' is required; one of " + BundleDescriptor.GROUPS);
        } else if (!BundleDescriptor.GROUPS.contains(d.group())) {
            problems.add("'group' is '" + d.group() + "'; expected one of " + BundleDescriptor.GROUPS);
        }
        d.namespaces().forEach(ns -> requireName(problems, "namespaces entry", ns));
        checkEnvironments(problems, "environments", d.environments());
        Set<String> chartNames = new HashSet<>();
        for (int i = 0; i < d.charts().size(); i++) {
            ChartSpec c = d.charts().get(i);
            String at = "charts[" + i + "]";
            requireName(problems, at + ".name", c.name());
            if (c.name() != null && !chartNames.add(c.name())) {
                problems.add(at + ".name '" + c.name() + "' is declared twice");
            }
            if (blank(c.repository())) {
                problems.add(at + ".repository is required (the chart repository URL)");
            } else if (c.repository().startsWith("oci://")) {
                // Argo CD takes a Helm OCI registry without the scheme; with it, the chart is not found at sync time
                problems.add(at + ".repository '" + c.repository() + "': write an OCI registry as Argo CD does, without"
                        + " oci:// ('" + c.repository().substring("oci://".length()) + "'), and the chart's name in chart");
            }
            if (blank(c.version())) {
                problems.add(at + ".version is required (an exact chart version)");
            } else if (!EXACT_VERSION.matcher(c.version()).matches()) {
                problems.add(at + ".version '" + c.version() + "' is not an exact version (ranges, wildcards and"
                        + " 'latest' float; pin e.g. 1.2.3)");
            }
            requireName(problems, at + ".namespace", c.namespace());
            checkEnvironments(problems, at + ".environments", c.environments());
            c.environments().stream().filter(env -> !d.environments().contains(env)).forEach(env ->
                    problems.add(at + ".environments has '" + env + "' which the bundle does not support"));
            checkImages(problems, at + ".images", c.images());
        }
        checkImages(problems, "images", d.images());
        checkEnvironments(problems, "intentionallyEmpty", d.intentionallyEmpty());
        d.intentionallyEmpty().stream().filter(env -> !d.environments().contains(env)).forEach(env ->
                problems.add("intentionallyEmpty has '" + env + "' which the bundle does not support"));
        return problems;
    }

    private static void checkImages(List<String> problems, String field, List<String> images) {
        for (int i = 0; i < images.size(); i++) {
            String problem = ImageReference.problem(images.get(i));
            if (problem != null) {
                problems.add(field + "[" + i + "] " + problem);
            }
        }
    }

    private static void checkEnvironments(List<String> problems, String field, List<String> environments) {
        environments.stream().filter(env -> !BundleDescriptor.ENVIRONMENTS.contains(env)).forEach(env ->
                problems.add(field + " has unknown environment '" + env + "'; expected " + BundleDescriptor.ENVIRONMENTS));
    }

    private static void requireName(List<String> problems, String field, String value) {
        if (blank(value)) {
            problems.add("'" + field + "' is required");
        } else if (!NAME.matcher(value).matches() || value.length() > 63) {
            problems.add("'" + field + "' is '" + value + "'; expected a DNS label (lower case letters, digits, '-')");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
