package dev.sealpost.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * docs/api.yaml read as a tree, with a small check of a JSON value against the subset of JSON
 * Schema (2020-12, as OpenAPI 3.1 uses it) that the file uses: {@code $ref}, {@code type}
 * (one or a list, "null" included), {@code required}, {@code properties}, {@code items},
 * {@code enum}. Unknown keywords (format, description, maxLength) are ignored.
 */
final class ApiSpec {
    private static final List<String> METHODS = List.of("get", "post", "put", "delete", "patch");
    private final JsonNode root;

    private ApiSpec(JsonNode root) {
        this.root = root;
    }

    static ApiSpec load() throws IOException {
        Path p = Path.of("../docs/api.yaml");
        if (!Files.isRegularFile(p)) p = Path.of("docs/api.yaml");
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(p.toFile());
        if (!root.path("openapi").asText().startsWith("3.1")) throw new IllegalStateException("api.yaml is not OpenAPI 3.1");
        return new ApiSpec(root);
    }

    /** Every operation as {@code METHOD /template}. */
    List<String> operations() {
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            for (String m : METHODS) if (e.getValue().has(m)) out.add(m.toUpperCase() + " " + e.getKey());
        }
        return out;
    }

    /** The JSON schema of the response to {@code method template} with {@code status}, or null when not documented. */
    JsonNode responseSchema(String template, String method, int status) {
        JsonNode r = root.path("paths").path(template).path(method.toLowerCase()).path("responses").path(Integer.toString(status));
        if (r.isMissingNode()) return null;
        r = resolve(r);
        JsonNode s = r.path("content").path("application/json").path("schema");
        return s.isMissingNode() ? null : s;
    }

    private JsonNode resolve(JsonNode n) {
        int guard = 0;
        while (n.has("$ref")) {
            String ref = n.get("$ref").asText();
            if (!ref.startsWith("#/") || ++guard > 20) throw new IllegalStateException("unsupported $ref " + ref);
            JsonNode t = root;
            for (String part : ref.substring(2).split("/")) t = t.path(part);
            if (t.isMissingNode()) throw new IllegalStateException("dangling $ref " + ref);
            n = t;
        }
        return n;
    }

    /** What is wrong with {@code value} under {@code schema}; empty when it conforms. */
    List<String> problems(JsonNode schema, JsonNode value) {
        List<String> out = new ArrayList<>();
        check(resolve(schema), value, "$", out);
        return out;
    }

    private void check(JsonNode schema, JsonNode v, String at, List<String> out) {
        schema = resolve(schema);
        if (v == null || v.isMissingNode()) {
            out.add(at + ": missing");
            return;
        }
        JsonNode type = schema.get("type");
        if (type != null) {
            boolean ok = false;
            List<String> types = new ArrayList<>();
            if (type.isArray()) type.forEach(t -> types.add(t.asText()));
            else types.add(type.asText());
            for (String t : types) ok |= is(t, v);
            if (!ok) {
                out.add(at + ": expected " + types + ", got " + v.getNodeType());
                return;
            }
        }
        JsonNode en = schema.get("enum");
        if (en != null) {
            boolean ok = false;
            for (JsonNode e : en) ok |= e.equals(v) || (e.isNull() && v.isNull());
            if (!ok) out.add(at + ": " + v + " not in " + en);
        }
        if (v.isObject()) {
            for (JsonNode req : schema.path("required")) {
                if (!v.has(req.asText())) out.add(at + ": required field '" + req.asText() + "' missing");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                if (v.has(p.getKey())) check(p.getValue(), v.get(p.getKey()), at + "." + p.getKey(), out);
            }
            // every field sent must be documented
            if (schema.has("properties")) {
                for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
                    String name = it.next();
                    if (!schema.get("properties").has(name)) out.add(at + ": field '" + name + "' is not in api.yaml");
                }
            }
        }
        if (v.isArray() && schema.has("items")) {
            int i = 0;
            for (JsonNode item : v) check(schema.get("items"), item, at + "[" + i++ + "]", out);
        }
    }

    private static boolean is(String type, JsonNode v) {
        return switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> throw new IllegalStateException("unknown type " + type);
        };
    }
}
