package claude.code.api.failures;

/**
 * Why a backend refused a request before its turn began. Sealed: switch over it.
 *
 * <pre>{@code
 * try (EventStream turn = backend.complete(messages)) {
 *     ...
 * } catch (BackendException e) {
 *     switch (e) {
 *         case PoolExhaustedException full -> retryLater();
 *         case SessionStartException start -> log(start.reason(), start.screen());
 *         case BackendClosedException closed -> stop();
 *     }
 * }
 * }</pre>
 *
 * A turn that began and then failed (the model API failed, the turn timed out, the CLI exited)
 * is not an exception: its stream ends with an error result that says why
 * ({@code ResultMessage.error()}).
 */
public abstract sealed class BackendException extends RuntimeException
        permits SessionStartException, BackendClosedException, PoolExhaustedException {
    private static final long serialVersionUID = 1L;

    BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
