/**
 * A small, strict JSON library (RFC 8259): immutable values, a byte-level parser, a compact
 * writer and a canonical form.
 *
 * <h2>Values</h2>
 * {@link claude.code.api.json.JsonValue} is sealed; its records are {@link claude.code.api.json.JsonObject}
 * (members in insertion order), {@link claude.code.api.json.JsonArray}, {@link claude.code.api.json.JsonString},
 * {@link claude.code.api.json.JsonNumber} (keeps the exact number text), {@link claude.code.api.json.JsonBool}
 * and {@link claude.code.api.json.JsonNull}. Walk them with pattern-matching {@code switch} or the typed
 * accessors of {@code JsonObject} ({@code obj.string("type")}, {@code obj.findObject("message")}).
 *
 * <h2>Parsing rules</h2>
 * <ul>
 *   <li>Input is UTF-8 (RFC 8259 §8.1). Invalid UTF-8 anywhere (overlong forms, encoded surrogates,
 *       code points above U+10FFFF, truncated sequences) is rejected. A byte-order mark is rejected.
 *   <li>Escaped lone surrogates (<code>"&#92;uD800"</code>) are accepted and kept as they are in the Java
 *       string; the writer escapes them again, so nothing is lost on a round trip.
 *   <li>Duplicate member names are accepted; the last value wins and the member keeps the position
 *       of its first occurrence (what JavaScript's {@code JSON.parse} does, which the Claude CLI uses).
 *   <li>Nesting deeper than the parser's limit (default {@value claude.code.api.json.JsonParser#DEFAULT_MAX_DEPTH})
 *       is a {@link claude.code.api.json.JsonParseException}; the parser is iterative, so no limit can
 *       overflow the stack.
 *   <li>Numbers of any size are accepted and kept as text; conversion happens on demand.
 * </ul>
 *
 * <h2>Canonical form</h2>
 * {@link claude.code.api.json.Json#canonical} is the basis of conversation fingerprints: compact, object
 * members sorted by name (UTF-16 code-unit order, as {@link java.lang.String#compareTo}), strings
 * escaped exactly as {@link claude.code.api.json.Json#write} does, and each number written in one
 * normal form of its decimal value (see {@link claude.code.api.json.JsonNumber#canonicalText()}), so
 * {@code 1.0}, {@code 1} and {@code 1e0} give the same text.
 */
package claude.code.api.json;
