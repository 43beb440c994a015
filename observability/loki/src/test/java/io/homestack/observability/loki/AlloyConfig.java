package io.homestack.observability.loki;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the subset of Alloy's configuration syntax the bundle's pipeline uses, so that tests can follow it: blocks
 * ({@code name "label" { ... }}, nested blocks without a label), attributes ({@code key = value}) whose values are
 * strings, numbers, booleans, lists, objects and references ({@code loki.write.default.receiver}), and comments.
 * Anything else (function calls, operators) is an error naming the line, so a config the tests cannot follow fails
 * instead of being half-read. This checks what the pipeline says, not that Alloy accepts it (see
 * {@code LokiBundleTest#alloysOwnValidatorIsNotRunHere}).
 */
final class AlloyConfig {

    /** A block: its name ({@code discovery.relabel}), label (or null), attributes and nested blocks in order. */
    record Block(String name, String label, Map<String, Object> attributes, List<Block> blocks, int line) {

        String id() {
            return label == null ? name : name + "." + label;
        }

        List<Block> blocks(String blockName) {
            return blocks.stream().filter(b -> b.name.equals(blockName)).toList();
        }

        Object attribute(String key) {
            return attributes.get(key);
        }
    }

    /** A reference to another component's export, e.g. {@code discovery.kubernetes.pods.targets}. */
    record Reference(String path) {
    }

    private final List<Block> blocks;

    private AlloyConfig(List<Block> blocks) {
        this.blocks = blocks;
    }

    static AlloyConfig parse(String text, String source) {
        return new AlloyConfig(new Parser(text, source).body(true));
    }

    List<Block> components(String name) {
        return blocks.stream().filter(b -> b.name.equals(name)).toList();
    }

    List<Block> blocks() {
        return blocks;
    }

    /** The component a reference points into: {@code loki.write.default.receiver} -> block loki.write "default". */
    Optional<Block> target(Reference reference) {
        return blocks.stream().filter(b -> b.label != null && reference.path().startsWith(b.id() + ".")).findFirst();
    }

    private static final class Parser {
        private final String text;
        private final String source;
        private int pos;

        Parser(String text, String source) {
            this.text = text;
            this.source = source;
        }

        List<Block> body(boolean topLevel) {
            List<Block> result = new ArrayList<>();
            Map<String, Object> ignored = new LinkedHashMap<>();
            collect(result, ignored, topLevel);
            if (!ignored.isEmpty()) {
                throw error("attributes are not allowed at the top level: " + ignored.keySet());
            }
            return result;
        }

        private void collect(List<Block> blocks, Map<String, Object> attributes, boolean topLevel) {
            while (true) {
                skipSpace();
                if (pos >= text.length()) {
                    if (!topLevel) {
                        throw error("unexpected end of the config: a block is not closed");
                    }
                    return;
                }
                if (text.charAt(pos) == '}') {
                    if (topLevel) {
                        throw error("'}' without a block to close");
                    }
                    return;
                }
                int line = line();
                String name = dottedIdentifier();
                skipSpace();
                char c = peek();
                if (c == '=') {
                    pos++;
                    if (attributes.put(name, value()) != null) {
                        throw error("attribute '" + name + "' is set twice");
                    }
                } else {
                    String label = c == '"' ? string() : null;
                    skipSpace();
                    expect('{');
                    List<Block> nested = new ArrayList<>();
                    Map<String, Object> attrs = new LinkedHashMap<>();
                    collect(nested, attrs, false);
                    expect('}');
                    blocks.add(new Block(name, label, attrs, nested, line));
                }
            }
        }

        private Object value() {
            skipSpace();
            char c = peek();
            if (c == '"') {
                return string();
            }
            if (c == '[') {
                pos++;
                List<Object> list = new ArrayList<>();
                while (true) {
                    skipSpace();
                    if (peek() == ']') {
                        pos++;
                        return list;
                    }
                    list.add(value());
                    skipSpace();
                    if (peek() == ',') {
                        pos++;
                    } else if (peek() != ']') {
                        throw error("expected ',' or ']' in a list");
                    }
                }
            }
            if (c == '{') {
                pos++;
                Map<String, Object> object = new LinkedHashMap<>();
                while (true) {
                    skipSpace();
                    if (peek() == '}') {
                        pos++;
                        return object;
                    }
                    String key = peek() == '"' ? string() : dottedIdentifier();
                    skipSpace();
                    expect('=');
                    object.put(key, value());
                    skipSpace();
                    if (peek() == ',') {
                        pos++;
                    } else if (peek() != '}') {
                        throw error("expected ',' or '}' in an object");
                    }
                }
            }
            if (Character.isDigit(c) || c == '-') {
                int start = pos++;
                while (pos < text.length() && (Character.isDigit(peek()) || peek() == '.')) {
                    pos++;
                }
                return Double.valueOf(text.substring(start, pos));
            }
            String word = dottedIdentifier();
            skipInlineSpace();
            if (pos < text.length() && "(+-*/%<>!&|".indexOf(peek()) >= 0) {
                throw error("expression after '" + word + "' is beyond what this reader follows (no calls or"
                        + " operators); extend AlloyConfig");
            }
            return switch (word) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                case "null" -> null;
                default -> new Reference(word);
            };
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\n') {
                    throw error("newline in a string");
                }
                if (c == '\\') {
                    char e = text.charAt(pos++);
                    switch (e) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case '\\', '"' -> out.append(e);
                        default -> throw error("escape \\" + e + " is beyond what this reader follows");
                    }
                } else {
                    out.append(c);
                }
            }
        }

        private String dottedIdentifier() {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == '.')) {
                pos++;
            }
            if (start == pos || !Character.isLetter(text.charAt(start)) && text.charAt(start) != '_') {
                throw error("expected an identifier");
            }
            return text.substring(start, pos);
        }

        private void expect(char c) {
            skipSpace();
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private void skipInlineSpace() {
            while (pos < text.length() && (peek() == ' ' || peek() == '\t')) {
                pos++;
            }
        }

        private void skipSpace() {
            while (pos < text.length()) {
                char c = peek();
                if (Character.isWhitespace(c)) {
                    pos++;
                } else if (text.startsWith("//", pos)) {
                    int end = text.indexOf('\n', pos);
                    pos = end < 0 ? text.length() : end;
                } else if (text.startsWith("/*", pos)) {
                    int end = text.indexOf("*/", pos);
                    if (end < 0) {
                        throw error("unterminated comment");
                    }
                    pos = end + 2;
                } else {
                    return;
                }
            }
        }

        private int line() {
            int line = 1;
            for (int i = 0; i < pos && i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                }
            }
            return line;
        }

        private IllegalArgumentException error(String message) {
            return new IllegalArgumentException(source + ", line " + line() + ": " + message);
        }
    }
}
