/**
 * The CLI's JSONL transcript: where it is, how to follow it, what its records mean. Internal.
 *
 * <ul>
 *   <li>{@link claude.code.api.transcript.TranscriptPaths}: the config dir, project dir, transcript and
 *       status-file paths of a child process, computed as the CLI computes them.
 *   <li>{@link claude.code.api.transcript.TranscriptTail}: follows one file from an offset on a virtual
 *       thread and pushes complete lines into a {@link claude.code.api.transcript.TailSink}; all tails
 *       share one watch service ({@code DirectoryWatcher}) and fall back to a short poll.
 *   <li>{@link claude.code.api.transcript.RecordParser}: one line to an
 *       {@link claude.code.api.events.Event}, a skip, or a {@link claude.code.api.events.MessageParseError}.
 * </ul>
 *
 * A session wires them as {@code TranscriptTail.open(paths.transcript(id), offset, options,
 * sink)} with a sink that calls {@code parser.parse(...)} on each line.
 */
package claude.code.api.transcript;
