package io.homestack.backup.velero;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An AWS shared-credentials file as the AWS SDK reads it (the plugin's AWS_SHARED_CREDENTIALS_FILE): {@code [profile]}
 * sections of {@code key = value} lines, {@code #}/{@code ;} comments. Anything else is an error naming the line, so a
 * malformed Secret fails here instead of in Velero's first backup.
 */
final class AwsCredentialsFile {

    private AwsCredentialsFile() {
    }

    /** Profile name to its keys. */
    static Map<String, Map<String, String>> parse(String text) {
        Map<String, Map<String, String>> profiles = new LinkedHashMap<>();
        Map<String, String> current = null;
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = profiles.computeIfAbsent(line.substring(1, line.length() - 1).strip(), p -> new LinkedHashMap<>());
            } else if (line.contains("=") && current != null) {
                int eq = line.indexOf('=');
                current.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            } else {
                throw new IllegalArgumentException("line " + (i + 1) + " of the credentials file is neither a [profile]"
                        + " header nor a key=value line inside one");
            }
        }
        return profiles;
    }
}
