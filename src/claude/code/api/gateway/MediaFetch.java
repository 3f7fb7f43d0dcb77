package claude.code.api.gateway;

import claude.code.api.events.MediaSource;
import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gateway's {@code --fetch-media-urls on}: before a request is parsed, each http(s) url source of an image or a
 * document in a user message is fetched and put in its place as the base64 source (an OpenAI data URL) the client
 * could have sent, so that everything after treats it as that. Off (the default) nothing is fetched, and a url source
 * is refused where it is read ({@link claude.code.api.events.MediaCheck}): no network is assumed.
 *
 * <p>A fetch is bounded: {@link #TIMEOUT} for all of it (connection, redirects, headers and body), at most
 * {@link #MAX_REDIRECTS} redirects (each target checked like the URL itself), at most the API's size of the block
 * ({@link MediaSource#MAX_IMAGE_BYTES}, {@link #MAX_DOCUMENT_BYTES}; one byte more is read, then the body is cut), and
 * the media type the response's {@code Content-Type} names must be one a base64 block may have. A failure is a 400
 * naming the block, the host and what failed; never the URL's path or query (they may hold tokens), here or in a log.
 * URLs are fetched one after another, in the request's own thread.
 */
final class MediaFetch implements AutoCloseable {
    /** How long one URL's fetch may take, from connecting to the body's last byte, redirects included. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** How many redirects one fetch follows. */
    static final int MAX_REDIRECTS = 3;
    /** The most bytes one document may have (the Messages API's 32 MB request limit). */
    static final int MAX_DOCUMENT_BYTES = 32 * 1024 * 1024;

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final HttpClient client;
    private final Duration timeout;

    MediaFetch() {
        this(TIMEOUT);
    }

    /** @param timeout the bound of one fetch (tests shorten it) */
    MediaFetch(Duration timeout) {
        this.timeout = timeout;
        // redirects are followed here, each one checked; HTTP/1.1: no h2c upgrade for servers to stumble on
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Media fetched: its type (from {@code Content-Type}, parameters stripped) and bytes. */
    record Fetched(String mediaType, byte[] bytes) {
        String base64() {
            return Base64.getEncoder().encodeToString(bytes);
        }
    }

    // --- the requests of each API ------------------------------------------------------------------

    /**
     * A Messages request with the url sources of its user messages' image and document blocks (also those in a
     * {@code tool_result}'s content) fetched; anything not shaped so is left for the parser to name.
     */
    JsonObject anthropic(JsonObject body) throws HttpError {
        if (!(body.get("messages") instanceof JsonArray messages)) {
            return body;
        }
        return replaced(body, "messages", messages, rewritten(messages, (message, i) ->
                message instanceof JsonObject m && userMessage(m) && m.get("content") instanceof JsonArray content
                        ? replaced(m, "content", content, anthropicBlocks(content, "messages[" + i + "].content"))
                        : message));
    }

    private JsonArray anthropicBlocks(JsonArray content, String at) throws HttpError {
        return rewritten(content, (element, j) -> {
            if (!(element instanceof JsonObject block) || !(block.get("type") instanceof JsonString type)) {
                return element;
            }
            String where = at + "[" + j + "]";
            boolean image = type.value().equals("image");
            if ((image || type.value().equals("document")) && block.get("source") instanceof JsonObject source
                    && source.get("type") instanceof JsonString s && s.value().equals("url")
                    && source.get("url") instanceof JsonString url) {
                Fetched f = fetch(url.value(), image, where + ".source.url");
                return block.with("source", new MediaSource.Base64(f.mediaType(), f.base64()).toJson());
            }
            if (type.value().equals("tool_result") && block.get("content") instanceof JsonArray inner) {
                return replaced(block, "content", inner, anthropicBlocks(inner, where + ".content"));
            }
            return element;
        });
    }

    /** A chat completions request with the http(s) {@code image_url} parts of its user messages fetched, as data URLs. */
    JsonObject chat(JsonObject body) throws HttpError {
        if (!(body.get("messages") instanceof JsonArray messages)) {
            return body;
        }
        return replaced(body, "messages", messages, rewritten(messages, (message, i) -> {
            if (!(message instanceof JsonObject m) || !userMessage(m) || !(m.get("content") instanceof JsonArray content)) {
                return message;
            }
            return replaced(m, "content", content, rewritten(content, (part, j) -> {
                if (part instanceof JsonObject p && isType(p, "image_url") && p.get("image_url") instanceof JsonObject o
                        && o.get("url") instanceof JsonString url && !url.value().startsWith("data:")) {
                    Fetched f = fetch(url.value(), true, "messages[" + i + "].content[" + j + "].image_url.url");
                    return p.with("image_url", o.with("url", new JsonString(dataUrl(f))));
                }
                return part;
            }));
        }));
    }

    /**
     * A Responses request with the http(s) {@code input_image.image_url} and {@code input_file.file_url} parts of its
     * user messages fetched, as data URLs ({@code file_url} becomes {@code file_data}).
     */
    JsonObject responses(JsonObject body) throws HttpError {
        if (!(body.get("input") instanceof JsonArray items)) {
            return body;
        }
        return replaced(body, "input", items, rewritten(items, (item, i) -> {
            if (!(item instanceof JsonObject m) || !userMessage(m) || !(m.get("type") == null || isType(m, "message"))
                    || !(m.get("content") instanceof JsonArray content)) {
                return item;
            }
            return replaced(m, "content", content, rewritten(content, (part, j) -> {
                String at = "input[" + i + "].content[" + j + "]";
                if (!(part instanceof JsonObject p)) {
                    return part;
                }
                if (isType(p, "input_image") && p.get("image_url") instanceof JsonString url && !url.value().startsWith("data:")) {
                    Fetched f = fetch(url.value(), true, at + ".image_url");
                    return p.with("image_url", new JsonString(dataUrl(f)));
                }
                if (isType(p, "input_file") && p.get("file_url") instanceof JsonString url) {
                    Fetched f = fetch(url.value(), false, at + ".file_url");
                    return p.without("file_url").with("file_data", new JsonString(dataUrl(f)));
                }
                return part;
            }));
        }));
    }

    /** One element of an array as it is to be: the same element when it needs no change. */
    @FunctionalInterface
    private interface Rewrite {
        JsonValue apply(JsonValue element, int index) throws HttpError;
    }

    /**
     * The array with each element rewritten, in order (the first failure ends it); the same array when no element
     * changed, so that a request without url sources is passed on as it came.
     */
    private static JsonArray rewritten(JsonArray array, Rewrite rewrite) throws HttpError {
        JsonValue[] out = null;
        for (int i = 0; i < array.size(); i++) {
            JsonValue element = array.get(i);
            JsonValue now = rewrite.apply(element, i);
            if (now != element && out == null) {
                out = array.elements().toArray(JsonValue[]::new);
            }
            if (out != null) {
                out[i] = now;
            }
        }
        return out == null ? array : JsonArray.of(out);
    }

    /** {@code o} with its array {@code name} ({@code before}) now {@code after}; {@code o} itself if unchanged. */
    private static JsonObject replaced(JsonObject o, String name, JsonArray before, JsonArray after) {
        return after == before ? o : o.with(name, after);
    }

    private static boolean userMessage(JsonObject m) {
        return m.get("role") instanceof JsonString r && r.value().equals("user");
    }

    private static boolean isType(JsonObject o, String type) {
        return o.get("type") instanceof JsonString t && t.value().equals(type);
    }

    private static String dataUrl(Fetched f) {
        return "data:" + f.mediaType() + ";base64," + f.base64();
    }

    // --- one fetch ---------------------------------------------------------------------------------

    /**
     * Fetches an image's or a document's bytes.
     *
     * @param at the field that holds the URL, named by every error with the URL's host (nothing else of it)
     * @throws HttpError 400 when the URL is not http(s), the fetch fails, times out, redirects too often, or its
     *     answer is too large or of a media type the block may not have
     */
    Fetched fetch(String url, boolean image, String at) throws HttpError {
        String kind = image ? "image" : "document";
        URI uri = checked(url, at, null);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int redirects = 0; ; redirects++) {
            String failed = at + ": could not fetch the " + kind + " from host " + uri.getHost() + ": ";
            Reply response = send(uri, image, deadline, failed);
            int status = response.status();
            if (REDIRECTS.contains(status)) {
                String location = response.headers().firstValue("location").orElse(null);
                if (location == null) {
                    throw HttpError.badRequest(failed + "status " + status + " without a Location header");
                }
                if (redirects == MAX_REDIRECTS) {
                    throw HttpError.badRequest(failed + "more than " + MAX_REDIRECTS + " redirects");
                }
                URI next;
                try {
                    next = uri.resolve(new URI(location));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw HttpError.badRequest(failed + "status " + status + " to a Location that is not a valid URL");
                }
                uri = checked(next.toString(), at, uri.getHost());
                continue;
            }
            if (status != 200) {
                throw HttpError.badRequest(failed + "status " + status);
            }
            String type = mediaType(response.headers());
            if (!allowed(type, image)) {
                throw HttpError.badRequest(failed + "unsupported media type " + (type == null ? "(no Content-Type)"
                        : quoted(type)) + (image
                                ? " (supported: image/png, image/jpeg, image/gif, image/webp)" : " (supported: application/pdf)"));
            }
            int limit = limit(image);
            byte[] bytes = response.body();
            if (bytes == null || bytes.length > limit) {
                throw HttpError.badRequest(failed + "too large: more than " + limit + " bytes (the " + kind + " limit, "
                        + (image ? "5" : "32") + " MB)");
            }
            return new Fetched(type, bytes);
        }
    }

    /** The URL, when it is http(s) with a host; {@code from} names the host that redirected to it, else null. */
    private static URI checked(String url, String at, String from) throws HttpError {
        String via = from == null ? "" : " (redirected from host " + from + ")";
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw HttpError.badRequest(at + ": not a valid URL" + via);
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw HttpError.badRequest(at + ": only http and https URLs are fetched" + (scheme == null ? ""
                    : ", not " + FieldPolicy.printable(scheme) + ":") + via);
        }
        if (uri.getHost() == null) {
            throw HttpError.badRequest(at + ": a URL without a host" + via);
        }
        return uri;
    }

    /** An answer: its status, headers and body as {@link Bounded} read it ({@code null} when not read). */
    private record Reply(int status, HttpHeaders headers, byte[] body) {}

    private Reply send(URI uri, boolean image, long deadline, String failed) throws HttpError {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(uri).GET().timeout(timeout)
                    .header("Accept", image ? "image/png, image/jpeg, image/gif, image/webp" : "application/pdf")
                    .header("User-Agent", "claude-code-api").build();
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(failed + "not a URL the HTTP client takes");
        }
        AtomicReference<Bounded> reading = new AtomicReference<>();
        CompletableFuture<HttpResponse<byte[]>> sent = client.sendAsync(request, info -> {
            // only a body that may be kept is read; others are cut at once (a redirect's, an error page, the wrong type)
            boolean wanted = info.statusCode() == 200 && allowed(mediaType(info.headers()), image)
                    && declaredLength(info.headers()) <= limit(image);
            Bounded body = new Bounded(wanted ? limit(image) : -1, info);
            reading.set(body);
            return body;
        });
        try {
            HttpResponse<byte[]> response = sent.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (TimeoutException e) {
            sent.cancel(true);
            throw HttpError.badRequest(failed + "timed out after " + shown(timeout));
        } catch (InterruptedException e) {
            sent.cancel(true);
            Thread.currentThread().interrupt();
            throw new HttpError(503, "api_error", failed + "interrupted (the gateway is stopping)");
        } catch (ExecutionException e) {
            Bounded body = reading.get();
            if (body != null && body.cancelled) { // the client may fail an exchange whose body was cut: cut it was
                return new Reply(body.info.statusCode(), body.info.headers(), body.cut);
            }
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw HttpError.badRequest(failed + "timed out after " + shown(timeout));
            }
            // the exception's class, not its message: a message may quote the URL
            throw HttpError.badRequest(failed + "connection failed (" + (cause == null ? "unknown"
                    : cause.getClass().getSimpleName()) + ")");
        }
    }

    private static String shown(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static int limit(boolean image) {
        return image ? MediaSource.MAX_IMAGE_BYTES : MAX_DOCUMENT_BYTES;
    }

    private static boolean allowed(String type, boolean image) {
        return type != null && (image ? MediaSource.IMAGE_TYPES.contains(type) : type.equals("application/pdf"));
    }

    /** The {@code Content-Length}, or 0 when there is none or it is no number (the read then finds the size). */
    private static long declaredLength(HttpHeaders headers) {
        try {
            return headers.firstValueAsLong("content-length").orElse(0);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Client text in an error: quoted, cut, control characters escaped. */
    private static String quoted(String value) {
        return Json.quote(value.length() <= 60 ? value : value.substring(0, 60) + "...");
    }

    /** The {@code Content-Type}'s type and subtype, lower case, or {@code null}. */
    private static String mediaType(HttpHeaders headers) {
        String value = headers.firstValue("content-type").orElse(null);
        if (value == null) {
            return null;
        }
        int semicolon = value.indexOf(';');
        String type = (semicolon < 0 ? value : value.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        return type.isEmpty() ? null : type;
    }

    /**
     * A body read into memory up to {@code limit + 1} bytes, then cut (the subscription cancelled): more than
     * {@code limit} is too large, whatever the rest. A negative limit reads nothing: the body is {@code null}.
     */
    private static final class Bounded implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        final HttpResponse.ResponseInfo info;
        /** The first {@code limit + 1} bytes, once there were more than {@code limit}; else {@code null}. */
        volatile byte[] cut;
        /** Whether this subscriber cut the body (not read, or read to one byte over the limit). */
        volatile boolean cancelled;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Bounded(int limit, HttpResponse.ResponseInfo info) {
            this.limit = limit;
            this.info = info;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (limit < 0) {
                cancelled = true;
                s.cancel();
                body.complete(null);
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer b : buffers) {
                int n = Math.min(b.remaining(), limit + 1 - bytes.size());
                byte[] chunk = new byte[n];
                b.get(chunk);
                bytes.write(chunk, 0, n);
                if (bytes.size() > limit) {
                    cut = bytes.toByteArray();
                    cancelled = true;
                    subscription.cancel();
                    body.complete(cut);
                    return;
                }
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            body.completeExceptionally(t instanceof IOException ? t : new IOException(t));
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
