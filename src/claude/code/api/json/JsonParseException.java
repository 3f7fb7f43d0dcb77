package claude.code.api.json;

/**
 * The input is not JSON. Names what was expected and where: {@link #offset()} counts bytes when
 * parsing bytes and chars when parsing a {@code String} (the message says which); line and column
 * start at 1, the column counting characters.
 */
public final class JsonParseException extends RuntimeException {
    private final long offset;
    private final int line;
    private final int column;

    public JsonParseException(String message, long offset, int line, int column) {
        super(message);
        this.offset = offset;
        this.line = line;
        this.column = column;
    }

    public long offset() {
        return offset;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
