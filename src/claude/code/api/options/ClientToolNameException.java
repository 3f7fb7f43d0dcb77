package claude.code.api.options;

/** A client tool whose name the CLI cannot offer under the API's limits; the gateway answers 400 with it. */
public final class ClientToolNameException extends IllegalArgumentException {
    private final String toolName;

    public ClientToolNameException(String toolName, String message) {
        super(message);
        this.toolName = toolName;
    }

    public String toolName() {
        return toolName;
    }
}
