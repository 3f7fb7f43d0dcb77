package claude.code.api.session;

import claude.code.api.cli.PromptEncoder;
import java.io.IOException;

/**
 * A stand-in for the CLI's terminal where keys do nothing, the input box is empty and the screen shows
 * {@link #screen}; a test overrides the keys it reacts to.
 */
class IdleTerminal implements Turn.Terminal {
    volatile String screen = "❯ ";

    @Override
    public void typePrompt(PromptEncoder.Encoded prompt) throws IOException {}

    @Override
    public void pressEnter() throws IOException {}

    @Override
    public void interrupt() throws IOException {}

    @Override
    public boolean clearInput() throws IOException {
        return true;
    }

    @Override
    public boolean inputHoldsText() {
        return false;
    }

    @Override
    public String screen() {
        return screen;
    }
}
