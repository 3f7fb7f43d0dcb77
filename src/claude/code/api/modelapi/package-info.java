/**
 * The Messages API's wire format as the model-API relay sees it: an incremental parser of its
 * {@code text/event-stream} into {@link claude.code.api.events.StreamEvent}s, and the fold of one
 * response's events into an {@link claude.code.api.events.AssistantMessage}. Not exported.
 */
package claude.code.api.modelapi;
