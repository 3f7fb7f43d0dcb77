/**
 * Why a backend refused a request: {@link claude.code.api.failures.BackendException}, sealed, and
 * its kinds (a session could not start, the pool is exhausted, the backend is closed). Typed so
 * that callers switch on the kind, never on a message.
 */
package claude.code.api.failures;
