package claude.code.api.sidechannel;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/** A route of a {@link SessionChannel}; {@code path} is the raw path below the secret ({@code /v1/messages}). */
@FunctionalInterface
public interface RouteHandler {
    void handle(HttpExchange exchange, String path) throws IOException;
}
