/**
 * What a backend is configured with, one record per concern, each taken whole by the layer that
 * uses it: {@link claude.code.api.options.LaunchOptions} (how the CLI is started: its argv and
 * environment), {@link claude.code.api.options.Timeouts}, {@link claude.code.api.options.PoolLimits},
 * {@link claude.code.api.options.HistoryOptions} and {@link claude.code.api.options.ClientToolSet} (the client's
 * own tools, offered instead of the CLI's). {@code claude.code.api.BackendOptions}
 * composes them and has one builder for all.
 */
package claude.code.api.options;
