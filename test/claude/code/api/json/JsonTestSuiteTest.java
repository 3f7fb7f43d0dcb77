package claude.code.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file of the JSONTestSuite: {@code y_} accepted (and round-tripped), {@code n_} rejected
 * with a {@link JsonParseException}, {@code i_} with the outcome our rules document.
 */
class JsonTestSuiteTest {
    static final Path SUITE = Path.of(System.getProperty("project.dir", "."), "test/resources/jsontestsuite/test_parsing");

    /**
     * The implementation-defined cases and what we do with them (see the package documentation):
     * numbers of any size are accepted; escaped lone surrogates are accepted; invalid UTF-8,
     * UTF-16 and a byte-order mark are rejected; 500 levels of nesting are within the limit.
     */
    static final Map<String, Boolean> IMPLEMENTATION_DEFINED = Map.ofEntries(
            Map.entry("i_number_double_huge_neg_exp.json", true),
            Map.entry("i_number_huge_exp.json", true),
            Map.entry("i_number_neg_int_huge_exp.json", true),
            Map.entry("i_number_pos_double_huge_exp.json", true),
            Map.entry("i_number_real_neg_overflow.json", true),
            Map.entry("i_number_real_pos_overflow.json", true),
            Map.entry("i_number_real_underflow.json", true),
            Map.entry("i_number_too_big_neg_int.json", true),
            Map.entry("i_number_too_big_pos_int.json", true),
            Map.entry("i_number_very_big_negative_int.json", true),
            Map.entry("i_object_key_lone_2nd_surrogate.json", true),
            Map.entry("i_string_1st_surrogate_but_2nd_missing.json", true),
            Map.entry("i_string_1st_valid_surrogate_2nd_invalid.json", true),
            Map.entry("i_string_UTF-16LE_with_BOM.json", false),
            Map.entry("i_string_UTF-8_invalid_sequence.json", false),
            Map.entry("i_string_UTF8_surrogate_U+D800.json", false),
            Map.entry("i_string_incomplete_surrogate_and_escape_valid.json", true),
            Map.entry("i_string_incomplete_surrogate_pair.json", true),
            Map.entry("i_string_incomplete_surrogates_escape_valid.json", true),
            Map.entry("i_string_invalid_lonely_surrogate.json", true),
            Map.entry("i_string_invalid_surrogate.json", true),
            Map.entry("i_string_invalid_utf-8.json", false),
            Map.entry("i_string_inverted_surrogates_U+1D11E.json", true),
            Map.entry("i_string_iso_latin_1.json", false),
            Map.entry("i_string_lone_second_surrogate.json", true),
            Map.entry("i_string_lone_utf8_continuation_byte.json", false),
            Map.entry("i_string_not_in_unicode_range.json", false),
            Map.entry("i_string_overlong_sequence_2_bytes.json", false),
            Map.entry("i_string_overlong_sequence_6_bytes.json", false),
            Map.entry("i_string_overlong_sequence_6_bytes_null.json", false),
            Map.entry("i_string_truncated-utf-8.json", false),
            Map.entry("i_string_utf16BE_no_BOM.json", false),
            Map.entry("i_string_utf16LE_no_BOM.json", false),
            Map.entry("i_structure_500_nested_arrays.json", true),
            Map.entry("i_structure_UTF-8_BOM_empty_object.json", false));

    static List<Path> suiteFiles() throws IOException {
        try (Stream<Path> files = Files.list(SUITE)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void theSuiteHasAll318Files() throws IOException {
        assertEquals(318, suiteFiles().size());
    }

    @TestFactory
    Stream<DynamicTest> everySuiteFileHasItsExpectedOutcome() throws IOException {
        return suiteFiles().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            String name = file.getFileName().toString();
            byte[] bytes = Files.readAllBytes(file);
            boolean mustAccept = switch (name.charAt(0)) {
                case 'y' -> true;
                case 'n' -> false;
                default -> {
                    Boolean documented = IMPLEMENTATION_DEFINED.get(name);
                    if (documented == null) {
                        throw new AssertionError("no documented outcome for " + name);
                    }
                    yield documented;
                }
            };
            if (mustAccept) {
                JsonValue value = Json.parse(bytes);
                assertEquals(value, Json.parse(Json.write(value)), "write then parse gives the same value");
                assertEquals(value, Json.parse(Json.writeUtf8(value)), "UTF-8 round trip gives the same value");
            } else {
                assertThrows(JsonParseException.class, () -> Json.parse(bytes));
            }
        }));
    }
}
