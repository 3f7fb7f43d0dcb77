package claude.code.api.gateway;

import claude.code.api.events.ContentBlock;
import claude.code.api.events.Event;
import claude.code.api.events.EventStream;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.StreamEvent;
import claude.code.api.events.Usage;
import claude.code.api.failures.SessionStartException;
import claude.code.api.gateway.Backends.OptionSet;
import claude.code.api.json.JsonObject;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A chat request of one API, from body to answer, the same steps for every {@link ChatDialect}:
 * the dialect reads the request; a backend is picked by option set ({@link Backends}: model,
 * system prompt and client tools); the turn runs; {@link TurnView} turns its events into what the client sees, and
 * the dialect writes it, whole or as a stream ({@link TurnPump}: keep-alives while silent).
 *
 * @param <R> the dialect's request
 */
final class ChatPipeline<R extends ChatDialect.Request> {
    private static final System.Logger LOG = System.getLogger(ChatPipeline.class.getName());
    private static final String EVENT_STREAM = "text/event-stream; charset=utf-8";

    private final ChatDialect<R> dialect;
    private final Backends backends;
    private final GatewayMetrics metrics;
    private final FieldPolicy policy;
    private final GatewayConfig config;
    private final String gatewayModel;
    private final MediaFetch mediaFetch;

    /**
     * @param gatewayModel the gateway's {@code --model}, {@code null} for the CLI's default
     * @param mediaFetch what fetches media URLs ({@link GatewayConfig#fetchMediaUrls()}), {@code null} when off
     */
    ChatPipeline(ChatDialect<R> dialect, Backends backends, GatewayMetrics metrics, FieldPolicy policy,
            GatewayConfig config, String gatewayModel, MediaFetch mediaFetch) {
        this.dialect = dialect;
        this.backends = backends;
        this.metrics = metrics;
        this.policy = policy;
        this.config = config;
        this.gatewayModel = gatewayModel;
        this.mediaFetch = mediaFetch;
    }

    void handle(Call call) throws HttpError, IOException {
        JsonObject body = call.jsonBody(config.maxBodyBytes(), config.maxJsonDepth());
        if (mediaFetch != null) { // before anything reads the body: the rest sees base64, as if the client had sent it
            body = dialect.withMediaFetched(body, mediaFetch);
        }
        R request = dialect.parse(body, policy, call);
        TurnRequest turn = request.turn();
        TurnView view = new TurnView(toolActivity(call), turn.model() != null ? turn.model()
                : gatewayModel != null ? gatewayModel : "default", turn.tools());
        // the gateway's own model, asked for by name, is the default option set
        String model = turn.model() != null && turn.model().equals(gatewayModel) ? null : turn.model();
        long start = System.nanoTime();
        String outcome = "error";
        Backends.Lease lease;
        try {
            lease = backends.acquire(new OptionSet(model, turn.system(), turn.tools()));
        } catch (RuntimeException e) {
            throw Errors.fromException(e);
        }
        try (lease) {
            EventStream events;
            try {
                events = lease.backend().complete(turn.messages(), turn.turnOptions());
            } catch (SessionStartException e) { // the client gets the first line; the screen it quotes goes here
                LOG.log(System.Logger.Level.WARNING, "a claude session could not start (" + call.requestId + "): "
                        + e.getMessage());
                throw Errors.fromException(e);
            } catch (RuntimeException e) {
                throw Errors.fromException(e);
            }
            try (events) {
                if (turn.stream()) {
                    outcome = stream(call, request, events, view);
                } else {
                    answer(call, request, events, view);
                    outcome = "ok";
                }
            } catch (IOException clientGone) { // a write failed: the turn was interrupted (or had ended) on the way out
                outcome = "client_gone";
                throw clientGone;
            }
        } finally {
            metrics.turn(Duration.ofNanos(System.nanoTime() - start), outcome);
        }
    }

    /** Answers with one JSON body once the turn is over. */
    private void answer(Call call, R request, EventStream events, TurnView view) throws HttpError, IOException {
        List<ContentBlock> blocks = new ArrayList<>();
        try {
            while (events.hasNext()) {
                view.accept(events.next(), blocks::add);
            }
        } catch (RuntimeException e) {
            throw Errors.fromException(e);
        }
        HttpError failure = view.failure();
        if (failure != null) {
            throw failure;
        }
        ResultMessage result = view.result();
        call.exchange.getResponseHeaders().set(GatewayHeaders.SESSION_ID, result.sessionId());
        call.sendJson(200, dialect.answer(request,
                new ChatDialect.Answer(view.reportedModel(), blocks, view.stopReason(), view.usage())));
    }

    /**
     * Streams the turn as it runs. The response begins ({@link OpeningStream}) with the first
     * thing the client is to see, or with the first keep-alive: a turn that fails before (an
     * upstream 429 or 529, a session that could not start its turn) is answered with the error's
     * own status and headers, as the API answers a stream it could not begin; after, the failure
     * is the dialect's error event.
     *
     * @return the turn's outcome for the metrics: {@code ok}, {@code error} or {@code client_gone}
     * @throws HttpError the turn failed before the response began
     */
    private String stream(Call call, R request, EventStream events, TurnView view) throws HttpError, IOException {
        OpeningStream out = new OpeningStream(call, request, view);
        TurnPump.End end = TurnPump.stream(events, view, config.pingInterval(), new TurnPump.Sink() {
            @Override
            public boolean event(Event event) throws IOException {
                long before = out.bytesWritten;
                view.stream(event, out);
                return out.bytesWritten != before;
            }

            @Override
            public void keepAlive() throws IOException {
                out.keepAlive();
            }
        }, out::fail);
        if (out.unsent != null) {
            throw out.unsent;
        }
        if (end == TurnPump.End.COMPLETED) {
            out.finish(view.stopReason(), view.usage());
        }
        return end == TurnPump.End.CLIENT_GONE ? "client_gone" : call.outcomeStatus() == 200 ? "ok" : "error";
    }

    /**
     * The dialect's stream, begun (200, its opening events) by the first call that writes: the
     * model it names is then the API's, once a response has started. A failure before that is
     * kept in {@link #unsent}, for an error response instead of a stream.
     */
    private final class OpeningStream implements ChatStream {
        private final Call call;
        private final R request;
        private final TurnView view;
        private ChatStream out;
        HttpError unsent;
        /** Bytes written to the response (for {@link TurnPump}'s silence: what reached the client). */
        long bytesWritten;

        OpeningStream(Call call, R request, TurnView view) {
            this.call = call;
            this.request = request;
            this.view = view;
        }

        private ChatStream out() throws IOException {
            if (out == null) {
                OutputStream body = call.startStream(EVENT_STREAM);
                out = dialect.startStream(request, new SseWriter(new FilterOutputStream(body) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        body.write(b, off, len);
                        bytesWritten += len;
                    }

                    @Override
                    public void write(int b) throws IOException {
                        body.write(b);
                        bytesWritten++;
                    }
                }), view.reportedModel(), call.requestId);
            }
            return out;
        }

        @Override
        public void block(ContentBlock block) throws IOException {
            out().block(block);
        }

        @Override
        public void blockStart(StreamEvent.BlockHead head) throws IOException {
            out().blockStart(head);
        }

        @Override
        public void blockDelta(StreamEvent.Delta delta) throws IOException {
            out().blockDelta(delta);
        }

        @Override
        public void blockStop() throws IOException {
            out().blockStop();
        }

        /** The opening events are a keep-alive too. */
        @Override
        public void keepAlive() throws IOException {
            if (out == null) {
                out();
            } else {
                out.keepAlive();
            }
        }

        @Override
        public void finish(String stopReason, Usage usage) throws IOException {
            out().finish(stopReason, usage);
        }

        @Override
        public void fail(HttpError error) throws IOException {
            if (out == null) {
                unsent = error;
                return;
            }
            call.markStreamError(error.status);
            out.fail(error);
        }
    }

    private boolean toolActivity(Call call) throws HttpError {
        String value = call.header(GatewayHeaders.TOOL_ACTIVITY);
        if (value == null) {
            return config.toolActivity() == GatewayConfig.ToolActivity.TEXT;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "text" -> true;
            case "none" -> false;
            default -> throw HttpError.badRequest(GatewayHeaders.TOOL_ACTIVITY + ": expected \"text\" or \"none\"");
        };
    }
}
