package io.homestack.bundle.diff;

import io.homestack.bundle.diff.ReleaseDiff.Change;
import io.homestack.bundle.diff.ReleaseDiff.FieldChange;
import io.homestack.bundle.diff.ReleaseDiff.ObjectChange;
import io.homestack.bundle.diff.ReleaseDiff.RenderChange;
import io.homestack.bundle.k8s.Yaml;

import java.util.List;

/**
 * A release diff as Markdown: what a reviewer reads in a GitHub release or a terminal. Changed fields are shown as a
 * {@code diff} block per object, the path as the hunk header and the values as YAML.
 */
public final class DiffReport {

    private DiffReport() {
    }

    public static String markdown(ReleaseDiff diff) {
        StringBuilder out = new StringBuilder();
        out.append("# Release diff\n\n");
        out.append("- from: ").append(diff.from()).append('\n');
        out.append("- to:   ").append(diff.to()).append('\n');
        if (diff.isEmpty()) {
            out.append("\nNo changes: both releases pin the same bundles, charts and images.\n");
            return out.toString();
        }
        section(out, "Bundles", diff.bundles().stream().map(b -> line(b.change(), b.name(),
                b.oldVersion() == null ? null : b.oldVersion() + " " + b.oldDigest(),
                b.newVersion() == null ? null : b.newVersion() + " " + b.newDigest())).toList());
        section(out, "Charts", diff.charts().stream().map(c -> line(c.change(), c.bundle() + "/" + c.name(),
                c.oldChart(), c.newChart())).toList());
        section(out, "Images", diff.images().stream().map(i -> line(i.change(), i.repository(), i.oldReference(),
                i.newReference())).toList());
        for (RenderChange render : diff.renders()) {
            out.append("\n## ").append(render.bundle()).append(" (").append(render.environment()).append(")\n\n");
            for (ObjectChange o : render.objects()) {
                out.append("- ").append(word(o.change())).append(' ').append(o.key()).append('\n');
            }
            for (ObjectChange o : render.objects()) {
                if (o.change() == Change.CHANGED) {
                    out.append("\n").append(o.key()).append(":\n\n```diff\n");
                    o.fields().forEach(f -> field(out, f));
                    out.append("```\n");
                }
            }
        }
        return out.toString();
    }

    private static void section(StringBuilder out, String title, List<String> lines) {
        if (!lines.isEmpty()) {
            out.append("\n## ").append(title).append("\n\n");
            lines.forEach(l -> out.append(l).append('\n'));
        }
    }

    private static String line(Change change, String what, String before, String after) {
        return "- " + word(change) + " " + what + switch (change) {
            case ADDED -> ": " + after;
            case REMOVED -> ": " + before;
            case CHANGED -> ": " + before + " → " + after;
        };
    }

    private static String word(Change change) {
        return switch (change) {
            case ADDED -> "added";
            case REMOVED -> "removed";
            case CHANGED -> "changed";
        };
    }

    private static void field(StringBuilder out, FieldChange f) {
        out.append("@@ ").append(f.path()).append('\n');
        if (f.before() != null) {
            yaml(out, '-', f.before());
        }
        if (f.after() != null) {
            yaml(out, '+', f.after());
        }
    }

    private static void yaml(StringBuilder out, char sign, Object value) {
        for (String line : Yaml.write(value).split("\n")) {
            out.append(sign).append(' ').append(line).append('\n');
        }
    }
}
