package claude.code.api.gateway;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonBool;
import claude.code.api.json.JsonNull;
import claude.code.api.json.JsonNumber;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Request fields the CLI cannot honour. A field whose absence of effect the client would not
 * notice (sampling settings, {@code max_tokens}, tool definitions the model may leave unused) is
 * ignored and said once in the log; a field that would make the answer wrong when ignored
 * (stop sequences, a forced tool call, a response format, several choices) is refused with a 400.
 * The per-field decisions are listed in the README.
 */
final class FieldPolicy {
    private static final System.Logger LOG = System.getLogger(FieldPolicy.class.getName());
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@/\\[\\]-]{0,127}");

    /** Field names are the clients' choice: at most this many are remembered (and logged). */
    static final int MAX_LOGGED_FIELDS = 256;

    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    /** Logs, once per API and field, that a field is ignored (for the first {@value #MAX_LOGGED_FIELDS} fields). */
    void ignored(String api, String field, String why) {
        if (logged.size() < MAX_LOGGED_FIELDS && logged.add(api + "." + printable(field))) {
            LOG.log(System.Logger.Level.INFO, "{0}: ignoring request field \"{1}\" ({2}); not logged again", api,
                    printable(field), why);
        }
    }

    /** How many fields were said to be ignored. */
    int loggedFields() {
        return logged.size();
    }

    /** A field name fit for the log: client text, so cut and with unusual characters replaced. */
    static String printable(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length() && out.length() < 40; i++) {
            char c = name.charAt(i);
            out.append(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' ? c : '?');
        }
        return out.toString();
    }

    /**
     * The model id, checked: {@code null} when absent, empty or {@code "default"} (the
     * gateway's own). Any other id is given to the CLI's {@code --model} as it is.
     */
    static String model(JsonObject body) throws HttpError {
        String model = string(body, "model");
        if (model == null || model.isEmpty() || model.equals("default")) {
            return null;
        }
        if (!MODEL.matcher(model).matches()) {
            throw HttpError.badRequest("model: not a model id (letters, digits and ._:@/[]- only, at most 128 characters)");
        }
        return model;
    }

    static String string(JsonObject body, String field) throws HttpError {
        return switch (body.get(field)) {
            case null -> null;
            case JsonNull n -> null;
            case JsonString s -> s.value();
            case JsonValue other -> throw wrongType(field, other, "a string");
        };
    }

    static boolean bool(JsonObject body, String field) throws HttpError {
        return switch (body.get(field)) {
            case null -> false;
            case JsonNull n -> false;
            case JsonBool b -> b.value();
            case JsonValue other -> throw wrongType(field, other, "a boolean");
        };
    }

    /** Checks a number field's type (its value is ignored); true when present. */
    static boolean number(JsonObject body, String field) throws HttpError {
        return switch (body.get(field)) {
            case null -> false;
            case JsonNull n -> false;
            case JsonNumber n -> true;
            case JsonValue other -> throw wrongType(field, other, "a number");
        };
    }

    /** A positive integer field's value, or -1 when absent. */
    static long positiveInteger(JsonObject body, String field) throws HttpError {
        return switch (body.get(field)) {
            case null -> -1;
            case JsonNull n -> -1;
            case JsonNumber n -> {
                long v;
                try {
                    v = n.longValue();
                } catch (ArithmeticException | NumberFormatException e) {
                    throw HttpError.badRequest(field + ": expected a positive integer, found " + n.text());
                }
                if (v < 1) {
                    throw HttpError.badRequest(field + ": expected a positive integer, found " + v);
                }
                yield v;
            }
            case JsonValue other -> throw wrongType(field, other, "an integer");
        };
    }

    static JsonArray array(JsonObject body, String field) throws HttpError {
        return switch (body.get(field)) {
            case null -> null;
            case JsonNull n -> null;
            case JsonArray a -> a;
            case JsonValue other -> throw wrongType(field, other, "an array");
        };
    }

    static JsonObject object(JsonObject body, String field) throws HttpError {
        return switch (body.get(field)) {
            case null -> null;
            case JsonNull n -> null;
            case JsonObject o -> o;
            case JsonValue other -> throw wrongType(field, other, "an object");
        };
    }

    static HttpError wrongType(String field, JsonValue found, String expected) {
        return HttpError.badRequest(field + ": expected " + expected + ", found " + Json.describeType(found));
    }
}
