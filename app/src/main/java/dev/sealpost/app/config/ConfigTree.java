package dev.sealpost.app.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, key-checked access to a parsed TOML file. Every accessor names the full dotted key in
 * its error; {@link #checkNoUnknownKeys()} refuses keys nobody asked for (a typo must not be
 * silently ignored).
 */
final class ConfigTree {
    private final JsonNode root;
    private final String source;
    private final Set<String> consumed = new TreeSet<>();

    private ConfigTree(JsonNode root, String source) {
        this.root = root;
        this.source = source;
    }

    static ConfigTree parse(Path file) {
        String text;
        if (!Files.exists(file)) throw new ConfigException("config file " + file + " does not exist");
        if (Files.isDirectory(file)) throw new ConfigException("config file " + file + " is a directory");
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    static ConfigTree parse(String toml, String source) {
        try {
            JsonNode node = new TomlMapper().readTree(toml);
            return new ConfigTree(node == null ? new TomlMapper().createObjectNode() : node, source);
        } catch (JacksonException e) {
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? "" : " line " + at.getLineNr() + ", column " + at.getColumnNr() + ":";
            throw new ConfigException(source + ":" + where + " not valid TOML: " + e.getOriginalMessage(), e);
        }
    }

    private JsonNode find(String key) {
        JsonNode n = root;
        String[] parts = key.split("\\.");
        for (int i = 0; i < parts.length; i++) {
            if (n == null || n.isNull()) {
                consumed.add(key);
                return null; // the table is absent: every key in it takes its default
            }
            if (!n.isObject()) {
                String parent = String.join(".", java.util.Arrays.copyOfRange(parts, 0, i));
                throw new ConfigException(source + ": key '" + parent + "': expected a table");
            }
            n = n.get(parts[i]);
        }
        consumed.add(key);
        return n;
    }

    String string(String key, String def) {
        JsonNode n = find(key);
        if (n == null || n.isNull()) return def;
        if (!n.isTextual()) throw new ConfigException(source + ": key '" + key + "': expected a string, got " + kind(n));
        return n.asText();
    }

    long integer(String key, long def, long min, long max) {
        JsonNode n = find(key);
        if (n == null || n.isNull()) return def;
        if (!n.isIntegralNumber()) throw new ConfigException(source + ": key '" + key + "': expected an integer, got " + kind(n));
        long v = n.asLong();
        if (v < min || v > max) {
            throw new ConfigException(source + ": key '" + key + "': expected an integer from " + min + " to " + max + ", got " + v);
        }
        return v;
    }

    java.util.List<String> stringList(String key, java.util.List<String> def) {
        JsonNode n = find(key);
        if (n == null || n.isNull()) return def;
        if (!n.isArray()) throw new ConfigException(source + ": key '" + key + "': expected an array of strings, got " + kind(n));
        java.util.List<String> out = new java.util.ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) throw new ConfigException(source + ": key '" + key + "': expected an array of strings, got an element that is " + kind(e));
            out.add(e.asText());
        }
        return java.util.List.copyOf(out);
    }

    /** A number (integer or decimal) within [min, max]. */
    double number(String key, double def, double min, double max) {
        JsonNode n = find(key);
        if (n == null || n.isNull()) return def;
        if (!n.isNumber()) throw new ConfigException(source + ": key '" + key + "': expected a number, got " + kind(n));
        double v = n.asDouble();
        if (!(v >= min && v <= max)) {
            throw new ConfigException(source + ": key '" + key + "': expected a number from " + min + " to " + max + ", got " + v);
        }
        return v;
    }

    /** A table of numbers ({@code [filter.weights]}: name = number), each key consumed; empty when absent. */
    java.util.Map<String, Double> numberTable(String key, double min, double max) {
        JsonNode n = find(key);
        if (n == null || n.isNull()) return java.util.Map.of();
        if (!n.isObject()) throw new ConfigException(source + ": key '" + key + "': expected a table, got " + kind(n));
        java.util.Map<String, Double> out = new java.util.TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), number(key + "." + e.getKey(), 0, min, max));
        }
        return java.util.Map.copyOf(out);
    }

    /**
     * A table of tables of numbers whose names may hold dots ({@code [filter.overrides]}:
     * {@code "example.com" = { reject_score = 20 }}), each inner key among {@code allowed} and consumed;
     * empty when absent. Errors name the key as {@code filter.overrides."example.com".reject_score}.
     */
    java.util.Map<String, java.util.Map<String, Double>> numberTables(String key, Set<String> allowed, double min, double max) {
        JsonNode n = find(key);
        if (n == null || n.isNull()) return java.util.Map.of();
        if (!n.isObject()) throw new ConfigException(source + ": key '" + key + "': expected a table, got " + kind(n));
        java.util.Map<String, java.util.Map<String, Double>> out = new java.util.TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = key + ".\"" + e.getKey() + "\"";
            if (!e.getValue().isObject()) throw new ConfigException(source + ": key '" + name + "': expected a table, got " + kind(e.getValue()));
            java.util.Map<String, Double> inner = new java.util.TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = e.getValue().fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                String full = name + "." + f.getKey();
                if (!allowed.contains(f.getKey())) throw new ConfigException(source + ": unknown key '" + full + "' (expected one of " + allowed + ")");
                if (!f.getValue().isNumber()) throw new ConfigException(source + ": key '" + full + "': expected a number, got " + kind(f.getValue()));
                double v = f.getValue().asDouble();
                if (!(v >= min && v <= max)) {
                    throw new ConfigException(source + ": key '" + full + "': expected a number from " + min + " to " + max + ", got " + v);
                }
                inner.put(f.getKey(), v);
                consumed.add(key + "." + e.getKey() + "." + f.getKey()); // as checkNoUnknownKeys spells it
            }
            out.put(e.getKey(), java.util.Map.copyOf(inner));
        }
        return java.util.Map.copyOf(out);
    }

    boolean bool(String key, boolean def) {
        JsonNode n = find(key);
        if (n == null || n.isNull()) return def;
        if (!n.isBoolean()) throw new ConfigException(source + ": key '" + key + "': expected true or false, got " + kind(n));
        return n.asBoolean();
    }

    String source() {
        return source;
    }

    /** Fails on the first key in the file that no accessor read. */
    void checkNoUnknownKeys() {
        walk(root, "");
    }

    private void walk(JsonNode n, String prefix) {
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue().isObject()) {
                walk(e.getValue(), key);
            } else if (!consumed.contains(key)) {
                throw new ConfigException(source + ": unknown key '" + key + "'");
            }
        }
    }

    private static String kind(JsonNode n) {
        if (n.isTextual()) return "a string";
        if (n.isIntegralNumber()) return "an integer";
        if (n.isNumber()) return "a number";
        if (n.isBoolean()) return "a boolean";
        if (n.isArray()) return "an array";
        if (n.isObject()) return "a table";
        return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
}
