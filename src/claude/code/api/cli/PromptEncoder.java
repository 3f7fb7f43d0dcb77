package claude.code.api.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns client text into the keystrokes that make the CLI's prompt hold exactly that text,
 * and refuses what it cannot send. Facts behind every rule: {@code docs/PROMPT-ENCODING.md}.
 *
 * <p>What we change, and why:
 * <ul>
 *   <li><b>Commands are neutralised.</b> The TUI runs a prompt starting with {@code !} as a shell
 *       command and one starting with {@code /word} as a slash command, also after leading
 *       whitespace and after invisible characters (which it drops first). When the first character
 *       that counts is {@code /} or {@code !}, we put U+2800 BRAILLE PATTERN BLANK in front: a
 *       printable character that renders blank, which the CLI keeps and does not treat as a command
 *       prefix. The model then sees that one extra character; nothing else. The same goes in front
 *       of an {@code @} that could start a file mention ({@link #neutraliseMentions}).
 *   <li><b>Control characters are removed:</b> ESC (it could end the bracketed paste and inject
 *       keys), the other C0 controls except LF and TAB, DEL and the C1 controls. CR and CRLF become
 *       LF; tabs become 4 spaces (what the TUI does to pasted tabs anyway). Lone surrogates become
 *       U+FFFD (they have no UTF-8 form).
 *   <li><b>Long text is sent as many small bracketed pastes</b> (each at most {@value #MAX_PIECE}
 *       chars, {@value #MAX_PIECE_BYTES} bytes of UTF-8 and two line breaks). One big paste would
 *       reach the model wrapped in {@code <pasted_content>} tags; small ones arrive exactly. They
 *       are grouped into writes of whole pastes, at most {@value #MAX_WRITE_BYTES} bytes each, which
 *       the caller makes one at a time, each once the CLI has read the one before, so that no paste
 *       bracket is ever split between two of the CLI's reads ({@link Encoded#writes()}).
 * </ul>
 * What the CLI itself still changes (documented, not avoidable): trailing whitespace (NBSP
 * included) is trimmed; format characters (ZWSP, BOM, soft hyphen, bidi controls, a ZWJ between
 * Latin letters) are dropped, except zero-width joiners inside emoji sequences and between letters
 * of scripts that use them (Arabic, Devanagari, ...); NEL, LS and PS become LF; text is
 * NFC-normalised. {@link Encoded#expectedEcho()} applies the same rules so a caller can tell what
 * the transcript will record.
 *
 * <p>A prompt with nothing visible left is refused: the CLI would not submit it and the turn
 * would never start.
 */
public final class PromptEncoder {
    /** The CLI treats a single paste of more than 800 chars (or 3+ line breaks) as a block to wrap. */
    static final int MAX_PIECE = 700;
    /** A paste's text, in UTF-8 bytes: with its brackets it must fit one write. */
    static final int MAX_PIECE_BYTES = 1_500;
    /**
     * Linux moves what is written to a terminal master into the input queue in blocks of at most
     * 1,792 bytes (and splits a write at 2,048), and the reader may get a block boundary between two
     * reads. A write that fits one block reaches the CLI in one read when the queue was empty.
     */
    static final int MAX_WRITE_BYTES = 1_700;
    static final int MAX_LINE_BREAKS_PER_PIECE = 2;
    static final char NEUTRALISER = '\u2800';

    private static final byte[] PASTE_START = "\u001b[200~".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PASTE_END = "\u001b[201~".getBytes(StandardCharsets.US_ASCII);

    private PromptEncoder() {}

    /**
     * @param writes the bytes to write to the PTY, in order, each in one write(2) and each once the
     *     CLI has read the one before: whole bracketed pastes, at most {@value #MAX_WRITE_BYTES} bytes
     *     (Enter is the caller's, after the TUI took them in)
     * @param text the text the prompt box will hold, neutraliser included
     * @param expectedEcho what the CLI will record for it, after its own transformations
     * @param neutralised whether the neutraliser was put in front
     */
    public record Encoded(List<byte[]> writes, String text, String expectedEcho, boolean neutralised) {
        public Encoded {
            writes = List.copyOf(writes);
        }

        /** How many bytes the writes hold in all (without joining them). */
        public int byteCount() {
            int n = 0;
            for (byte[] write : writes) n += write.length;
            return n;
        }

        /** All writes as one byte array, in order. */
        public byte[] keys() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] write : writes) out.writeBytes(write);
            return out.toByteArray();
        }
    }

    /** @throws IllegalArgumentException if nothing visible is left to send */
    public static Encoded encode(String clientText) {
        return encode(clientText, List.of());
    }

    /**
     * As {@link #encode(String)}, with the CLI's own attachment reference {@code @<path>} for each
     * of {@code attachments} in front of the client's text. The references are added after the
     * client text has been neutralised, so only these paths can ever be file mentions. The CLI sends
     * every attached image before all of the message's text, in the order of the references
     * (docs/CLI-BEHAVIOUR.md#images), and the text the model receives keeps the references.
     *
     * @param attachments absolute paths of files this project wrote (a media store's), never client text
     * @throws IllegalArgumentException if nothing visible is left to send, or a path cannot be referenced
     */
    public static Encoded encode(String clientText, List<Path> attachments) {
        String clean = clean(clientText);
        int first = firstCountingIndex(clean);
        if (first < 0 && attachments.isEmpty()) {
            throw new IllegalArgumentException("the prompt has no visible text (" + clientText.length()
                    + " chars of whitespace or control characters): the CLI would not submit it");
        }
        boolean neutralise = first >= 0 && (clean.charAt(first) == '/' || clean.charAt(first) == '!');
        String text = neutraliseMentions(neutralise ? NEUTRALISER + clean : clean);
        if (!attachments.isEmpty()) {
            StringBuilder refs = new StringBuilder();
            for (Path file : attachments) {
                refs.append(reference(file)).append(' ');
            }
            text = first < 0 ? refs.toString().stripTrailing() : refs + text;
        }
        return new Encoded(writes(pastes(text)), text, expectedEcho(text), neutralise);
    }

    /**
     * {@code @<path>}, or {@code @"<path>"} when the path holds a space (both measured). Paths come
     * from this project's media store; one the CLI could misread (a quote, a control or format
     * character, not absolute) is refused rather than typed.
     */
    static String reference(Path file) {
        String path = file.toString();
        if (!file.isAbsolute()) {
            throw new IllegalArgumentException("an attachment path must be absolute: " + path);
        }
        boolean plain = true;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || c == 0x7F || Character.getType(c) == Character.FORMAT
                    || Character.isSurrogate(c) || (c != ' ' && Character.isWhitespace(c))) {
                throw new IllegalArgumentException("an attachment path the CLI could misread (a quote, backslash, control or format character)");
            }
            plain &= c != ' ' && c != '\u00A0' && !Character.isSpaceChar(c);
        }
        return plain ? "@" + path : "@\"" + path + "\"";
    }

    /**
     * Puts the neutraliser in front of every {@code @} that does not follow a letter or digit. The
     * CLI reads {@code @<path>} at the start or after whitespace as a file mention and sends that
     * file to the model (measured: a client's {@code @/tmp/x.txt} put the file's text into the
     * request); after U+2800 it stays text. An {@code @} right after a letter or digit (an e-mail
     * address) is no mention and is left alone; after anything else, a character the CLI drops
     * included, it gets the neutraliser.
     */
    static String neutraliseMentions(String s) {
        if (s.indexOf('@') < 0) return s;
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '@' && !(i > 0 && Character.isLetterOrDigit(s.charAt(i - 1)))) out.append(NEUTRALISER);
            out.append(c);
        }
        return out.toString();
    }

    /** Removes what must not or cannot be typed; normalises line breaks and tabs. */
    static String clean(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r') {
                out.append('\n');
                if (i + 1 < s.length() && s.charAt(i + 1) == '\n') i++;
            } else if (c == '\t') {
                out.append("    ");
            } else if (c == '\n') {
                out.append('\n');
            } else if (c < 0x20 || (c >= 0x7F && c <= 0x9F && c != 0x85)) {
                // ESC, other C0 controls, DEL, C1 controls: dropped
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Index of the first character the CLI looks at when it decides on a command: past
     * whitespace and everything it drops or does not draw. -1 when there is none.
     */
    static int firstCountingIndex(String s) {
        for (int i = 0; i < s.length(); i = s.offsetByCodePoints(i, 1)) {
            if (!isIgnoredAtStart(s.codePointAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isIgnoredAtStart(int cp) {
        if (Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.FORMAT, Character.CONTROL, Character.NON_SPACING_MARK, Character.ENCLOSING_MARK,
                    Character.COMBINING_SPACING_MARK, Character.UNASSIGNED, Character.PRIVATE_USE,
                    Character.SURROGATE -> true;
            default -> false;
        };
    }

    /**
     * Bracketed pastes of at most MAX_PIECE chars, MAX_PIECE_BYTES bytes and two line breaks each,
     * never splitting a surrogate pair.
     */
    static List<byte[]> pastes(String text) {
        List<byte[]> pieces = new ArrayList<>(text.length() / MAX_PIECE + 1);
        int start = 0, breaks = 0, bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int size = utf8Size(c);
            boolean full = i - start >= MAX_PIECE || bytes + size > MAX_PIECE_BYTES
                    || (c == '\n' && breaks == MAX_LINE_BREAKS_PER_PIECE);
            if (full && !Character.isLowSurrogate(c)) {
                addPastes(pieces, text.substring(start, i));
                start = i;
                breaks = 0;
                bytes = 0;
            }
            if (c == '\n') breaks++;
            bytes += size;
        }
        addPastes(pieces, text.substring(start));
        return pieces;
    }

    /** A paste the CLI would read as the path of an image to attach: its trimmed text ends in an image extension. */
    private static final Pattern IMAGE_PATH = Pattern.compile("\\.(png|jpe?g|gif|webp)$", Pattern.CASE_INSENSITIVE);

    /**
     * Whether the CLI would take a paste of {@code piece} for an image file's path (found in the
     * binary, and measured: a paste {@code /tmp/x.png}, also {@code look\n/tmp/x.png}, was attached
     * as {@code [Image #1]} with the file's bytes): its text, trimmed as JavaScript trims, without
     * one pair of surrounding quotes and with backslash escapes resolved, ends in an image extension.
     */
    static boolean readAsImagePath(String piece) {
        String s = jsTrim(piece);
        if (s.length() >= 2 && (s.charAt(0) == '"' || s.charAt(0) == '\'') && s.charAt(s.length() - 1) == s.charAt(0)) {
            s = s.substring(1, s.length() - 1);
        }
        return IMAGE_PATH.matcher(s.replaceAll("\\\\(.)", "$1")).find();
    }

    /**
     * {@code piece} as pastes none of which the CLI reads as an image path: such a paste is cut
     * before its last visible character (the one-character rest cannot end in an extension), and
     * the front is checked again. The CLI joins the pastes, so the text is unchanged.
     */
    static List<String> withoutImagePaths(String piece) {
        List<String> out = new ArrayList<>(1);
        String rest = "";
        String front = piece;
        while (readAsImagePath(front)) {
            int end = jsTrim(front).length() + leadingTrimmed(front);
            int cut = front.offsetByCodePoints(end, -1);
            rest = front.substring(cut) + rest;
            front = front.substring(0, cut);
        }
        out.add(front);
        if (!rest.isEmpty()) out.add(rest);
        return out;
    }

    private static int leadingTrimmed(String s) {
        int i = 0;
        while (i < s.length() && isJsSpace(s.charAt(i))) i++;
        return i;
    }

    private static String jsTrim(String s) {
        int start = leadingTrimmed(s), end = s.length();
        while (end > start && isJsSpace(s.charAt(end - 1))) end--;
        return s.substring(start, end);
    }

    private static boolean isJsSpace(char c) {
        return Character.getType(c) == Character.SPACE_SEPARATOR || "\t\n\u000B\f\r\u2028\u2029\uFEFF".indexOf(c) >= 0;
    }

    private static void addPastes(List<byte[]> pieces, String piece) {
        for (String part : withoutImagePaths(piece)) {
            pieces.add(paste(part));
        }
    }

    /** Consecutive pastes joined into writes of at most MAX_WRITE_BYTES. */
    static List<byte[]> writes(List<byte[]> pastes) {
        List<byte[]> writes = new ArrayList<>();
        ByteArrayOutputStream write = new ByteArrayOutputStream(MAX_WRITE_BYTES);
        for (byte[] paste : pastes) {
            if (write.size() + paste.length > MAX_WRITE_BYTES) {
                writes.add(write.toByteArray());
                write.reset();
            }
            write.writeBytes(paste);
        }
        writes.add(write.toByteArray());
        return writes;
    }

    /** UTF-8 bytes of one char; a surrogate pair's four bytes are counted on its high half. */
    private static int utf8Size(char c) {
        if (c < 0x80) return 1;
        if (c < 0x800) return 2;
        if (Character.isHighSurrogate(c)) return 4;
        if (Character.isLowSurrogate(c)) return 0;
        return 3;
    }

    private static byte[] paste(String piece) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(piece.length() * 3 + PASTE_START.length + PASTE_END.length);
        out.writeBytes(PASTE_START);
        out.writeBytes(piece.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(PASTE_END);
        return out.toByteArray();
    }

    /** The CLI's own transformations, as measured (docs/PROMPT-ENCODING.md). */
    static String expectedEcho(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0x85 || c == '\u2028' || c == '\u2029') out.append('\n');
            else if ((c == '\u200C' || c == '\u200D') && joins(text, i)) out.append(c);
            else if (Character.getType(c) != Character.FORMAT) out.append(c);
        }
        return stripTrailingSpace(Normalizer.normalize(out, Normalizer.Form.NFC));
    }

    /**
     * Whether the CLI keeps the zero-width (non-)joiner at {@code i}: inside an emoji ZWJ sequence,
     * and between characters of one script other than Latin/Common (measured for Arabic script and
     * Devanagari; between Latin letters it is dropped).
     */
    private static boolean joins(String text, int i) {
        if (i == 0 || i + 1 >= text.length()) {
            return false;
        }
        int before = text.codePointBefore(i);
        int after = text.codePointAt(i + 1);
        if (Character.isExtendedPictographic(after) && (Character.isExtendedPictographic(before)
                || Character.isEmojiModifier(before) || before == 0xFE0F)) {
            return true;
        }
        Character.UnicodeScript script = Character.UnicodeScript.of(before);
        return script == Character.UnicodeScript.of(after) && script != Character.UnicodeScript.COMMON
                && script != Character.UnicodeScript.LATIN && script != Character.UnicodeScript.INHERITED
                && script != Character.UnicodeScript.UNKNOWN;
    }

    /** JavaScript's {@code trimEnd()}: also NBSP and the other space separators, unlike {@link String#stripTrailing()}. */
    private static String stripTrailingSpace(String s) {
        int end = s.length();
        while (end > 0) {
            char c = s.charAt(end - 1);
            if (Character.getType(c) != Character.SPACE_SEPARATOR && "\t\n\u000B\f\r\u2028\u2029\uFEFF".indexOf(c) < 0) {
                break;
            }
            end--;
        }
        return s.substring(0, end);
    }
}
