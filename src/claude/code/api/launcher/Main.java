package claude.code.api.launcher;

/** Command-line entry point of claude-code-api. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("claude-code-api");
    }
}
