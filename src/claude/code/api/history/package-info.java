/**
 * Conversation history: fingerprints, seed transcripts ({@code NATIVE_JSONL}), concatenated
 * prompts ({@code CONCAT_MESSAGE}) and the rendering of a turn as messages.
 *
 * <h2>Fingerprint rule</h2>
 * {@link claude.code.api.history.Fingerprint#of} is the SHA-256 (lowercase hex) of
 * {@link claude.code.api.json.Json#canonical} applied to the JSON array of the history's normal
 * form, each message written as {@code {"role": "user"|"assistant", "content": [blocks]}}. The
 * normal form:
 * <ol>
 *   <li>string content is one text block (done when messages are read);
 *   <li>blocks are in the API's wire shape with only the fields the API defines for them:
 *       {@code cache_control}, {@code citations} and the like are gone (done by
 *       {@link claude.code.api.events.ContentBlock#fromJson});
 *   <li>empty text blocks are dropped; a tool result's string content becomes one text block,
 *       its empty content (empty string or array) becomes absent, the blocks inside it are
 *       normalised the same way, and {@code is_error: false} becomes absent;
 *   <li>messages left without blocks are dropped and adjacent messages of the same role are
 *       merged into one (the API merges consecutive same-role turns the same way);
 *   <li>object members are sorted and numbers written in one form, so the key order of a
 *       tool's {@code input} or {@code 1.0} vs {@code 1} never matters. A tool call's input is
 *       compared as a JSON value: the gateway parses OpenAI's {@code arguments} text before, so a
 *       client that re-serialises it with other spacing echoes the same history.
 * </ol>
 *
 * <h2>Views a session is registered under</h2>
 * After a turn that answered the client's messages {@code M} (its last one the user message of
 * the turn) with the turn's messages {@code T} ({@link claude.code.api.history.TurnSynthesis}),
 * the session is pooled under the fingerprint of each of these histories, because clients echo
 * a turn back in different shapes
 * ({@link claude.code.api.history.Fingerprint#registrationKeys}):
 * <ul>
 *   <li>{@code M + T}: the whole cycle, assistant tool use, user tool result, ..., final answer;
 *   <li>{@code M + [assistant: final text]}: only the text of the last model message (what a
 *       client that shows only the answer sends back);
 *   <li>{@code M + [assistant: every text block of the turn]}: the tool blocks dropped;
 *   <li>{@code M + [assistant: every text of the turn joined into one]}: the same as one string
 *       (how OpenAI-style clients keep a streamed reply);
 *   <li>{@code M + [assistant: the turn as the HTTP gateway renders it]}
 *       ({@link claude.code.api.events.TurnRendering}): text and thinking in order, tool blocks
 *       dropped, or shown as text blocks when the client asked to see tool activity; and each of
 *       the two as one string, text blocks joined by a blank line (the gateway's OpenAI content);
 *   <li>each of the above with thinking and redacted thinking removed from every message
 *       (clients commonly drop thinking; the API allows it for earlier turns).
 * </ul>
 * A request is looked up by the fingerprint of its messages without the last one, so any of
 * these shapes, with string or block content, with or without {@code cache_control} or
 * {@code citations}, finds the session. When the session is taken from the pool every key of
 * it is removed.
 *
 * <h2>Seed transcript ({@code NATIVE_JSONL})</h2>
 * {@link claude.code.api.history.SeedTranscript} writes the prior history where the CLI keeps
 * transcripts ({@link claude.code.api.transcript.TranscriptPaths}) under a fresh session id, and
 * the CLI is started with {@code --resume <id>}. One JSON record per line, following the
 * measured facts ({@code docs/CLI-BEHAVIOUR.md#resume-seeding}):
 * <ul>
 *   <li>each record is {@code {parentUuid, isSidechain: false, type, message, uuid, timestamp,
 *       sessionId}}; {@code type}, {@code uuid}, {@code parentUuid} and {@code message.role} /
 *       {@code message.content} are what the CLI needs, the rest mirrors its own records;
 *   <li>{@code uuid}s are random and chained: each record's {@code parentUuid} is the previous
 *       record's {@code uuid} (the first's is {@code null}); the CLI walks the chain back from
 *       the last record;
 *   <li>a user message is one record whose content is the list of its blocks (text, tool results,
 *       images and documents as base64 blocks: the shape the CLI writes for a pasted image, and the
 *       resumed CLI sends them as they are, {@code docs/CLI-BEHAVIOUR.md#images}, {@code #pdfs});
 *   <li>an assistant message is one record per block (text, thinking with its signature,
 *       redacted thinking, tool use), all sharing {@code message.id}, as the CLI writes them,
 *       so the CLI sends them back as one message; {@code stop_reason} is {@code tool_use} when
 *       the message asks for a tool, else {@code end_turn};
 *   <li>an assistant message that holds thinking has {@code message.model = "<synthetic>"}: the
 *       CLI drops thinking from messages whose model is not the session's, except from its own
 *       synthetic messages, and the seed cannot know the session's model (measured: without a
 *       model, or with an alias, the thinking is not sent; with a real model name the resumed
 *       session switches to that model). Other messages have no model;
 *   <li>thinking without a signature is left out: the API would reject it on every request;
 *   <li>the file is created 0600 under a temporary name and renamed into place; its name is
 *       the session id, so no client text reaches a path.
 * </ul>
 * The backend merges a request's trailing user messages into its last one, so the prior
 * history always ends on an assistant message and the seed on an assistant record. (A seed that
 * ended on a user record would make the CLI invent an assistant reply, "No response
 * requested.", before the new prompt; a seed ending on an unanswered tool use makes it invent
 * an error tool result. The second can still happen when a client's history ends that way.)
 *
 * <h2>Concatenated prompt ({@code CONCAT_MESSAGE})</h2>
 * {@link claude.code.api.history.ConcatPrompt} types the history into the first prompt of a
 * fresh session:
 * <pre>
 * Below is our conversation so far, between &lt;conversation&gt; tags; you are the assistant in it. ...
 *
 * &lt;conversation&gt;
 * &lt;user&gt;
 * text
 * &lt;/user&gt;
 * &lt;assistant&gt;
 * text
 * [tool_use id=toolu_1 name=Bash]
 * {"command":"ls"}
 * [/tool_use]
 * &lt;/assistant&gt;
 * &lt;user&gt;
 * [tool_result id=toolu_1]        (" error" after the id when is_error is true)
 * output
 * [/tool_result]
 * &lt;/user&gt;
 * &lt;/conversation&gt;
 *
 * the new user text
 * </pre>
 * Thinking is left out (the model would read its own reasoning as something said); an image is
 * a line {@code [image #n: attached to this message]} and the backend attaches the history's images
 * ({@link claude.code.api.history.ConcatPrompt#withImages}) to the prompt, ahead of its text, as
 * the CLI sends attachments; a document is refused before (it cannot be typed); other blocks
 * that have no text form are shown as {@code [type block omitted]}. The prompt starts with the
 * fixed preamble, so client text can never be its first character (a leading {@code !} or
 * {@code /} means shell or slash command to the CLI). The CLI's typing rules still apply to
 * it ({@code docs/CLI-BEHAVIOUR.md#input}: a long prompt arrives wrapped in {@code <pasted_content>}).
 */
package claude.code.api.history;
