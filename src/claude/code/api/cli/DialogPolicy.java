package claude.code.api.cli;

/**
 * How {@link ClaudeProcess} answers the CLI's start-up dialogs ({@code docs/CLI-BEHAVIOUR.md#dialogs}).
 * A dialog the policy does not allow ends the start with a {@link claude.code.api.failures.SessionStartException} that quotes it;
 * the CLI's own default answer is never sent, since it would make the CLI exit or run without its key.
 *
 * @param trustWorkspace answer "Yes, I trust this folder" when the working directory is not trusted
 *     yet. The CLI then also loads the folder's project settings (hooks, MCP servers), so trust only
 *     folders you chose. The CLI remembers the answer in its config.
 * @param acceptBypassPermissions answer "Yes, I accept" to the bypass-permissions warning (shown once
 *     per config dir when bypass mode is asked for and not accepted before)
 * @param approveApiKey answer "Yes" when the CLI asks whether to use an {@code ANTHROPIC_API_KEY}
 *     found in its environment (only possible with {@link claude.code.api.options.LaunchOptions#preserveProviderEnv()} or an
 *     explicit extra variable)
 * @param completeOnboarding take the defaults of a fresh config's onboarding screens (text style,
 *     security notes)
 */
public record DialogPolicy(boolean trustWorkspace, boolean acceptBypassPermissions, boolean approveApiKey,
        boolean completeOnboarding) {

    /**
     * Trusts the configured working directory, confirms a bypass mode that was asked for
     * explicitly, completes onboarding with its defaults, and refuses to approve an API key
     * silently.
     */
    public static final DialogPolicy DEFAULT = new DialogPolicy(true, true, false, true);

    /** Answers nothing: every dialog is an error. */
    public static final DialogPolicy NONE = new DialogPolicy(false, false, false, false);

    public DialogPolicy withTrustWorkspace(boolean v) {
        return new DialogPolicy(v, acceptBypassPermissions, approveApiKey, completeOnboarding);
    }

    public DialogPolicy withAcceptBypassPermissions(boolean v) {
        return new DialogPolicy(trustWorkspace, v, approveApiKey, completeOnboarding);
    }

    public DialogPolicy withApproveApiKey(boolean v) {
        return new DialogPolicy(trustWorkspace, acceptBypassPermissions, v, completeOnboarding);
    }

    public DialogPolicy withCompleteOnboarding(boolean v) {
        return new DialogPolicy(trustWorkspace, acceptBypassPermissions, approveApiKey, v);
    }
}
