package claude.code.api;

import claude.code.api.json.JsonObject;
import claude.code.api.session.RequestAmendment;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The client's documents of one request as markers (docs/CLI-BEHAVIOUR.md#relay-pdfs): a PDF cannot be typed into the
 * CLI, so a random marker ({@code doc-<32 hex>}, never client text, plain ASCII that {@code PromptEncoder} leaves
 * as it is) stands in its place in the prompt or in a client tool's result, and the relay puts the document block in
 * place of the marker in every main-loop request of the session from then on ({@link RequestAmendment.PlaceAtMarker}).
 * Not thread-safe: one request's.
 */
final class DocumentMarkers {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<RequestAmendment> placed = new ArrayList<>();

    /** A new marker for {@code block} (the document in the API's shape); its amendment is noted. */
    String mark(JsonObject block) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String marker = "doc-" + HexFormat.of().formatHex(random);
        placed.add(new RequestAmendment.PlaceAtMarker(marker, block));
        return marker;
    }

    /** The amendments of the markers handed out, in order. */
    List<RequestAmendment> amendments() {
        return List.copyOf(placed);
    }
}
