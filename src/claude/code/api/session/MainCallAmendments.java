package claude.code.api.session;

import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonParseException;
import claude.code.api.json.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * The amendments of one session's main-loop requests (docs/CLI-BEHAVIOUR.md#relay-amendments), and which call
 * each applies to:
 * <ul>
 *   <li><b>every call</b> of the session from the moment they are added: a seeded continuation's true history in
 *       place of its marker (when the session starts), a client's document in place of its marker (each turn that
 *       brings one adds its own, and they stay: the CLI sends the earlier turns again in every request);
 *   <li><b>the next call</b> (the turn's {@code tool_choice}, the client's text beside its tool results): the one
 *       model request that answers the client's request, as the API applies them to the request it was sent. A
 *       retry of that call (the CLI sends the same {@code messages} again) gets them too; the first call with other
 *       messages (after a tool result: a new request) does not.
 * </ul>
 * A call without amendments is forwarded with the CLI's own bytes, untouched.
 */
final class MainCallAmendments {
    private static final System.Logger LOG = System.getLogger(MainCallAmendments.class.getName());

    private final Object lock = new Object();
    private List<RequestAmendment> everyCall = List.of(); // guarded by lock
    private List<RequestAmendment> nextCall = List.of(); // guarded by lock
    private JsonValue amendedMessages; // guarded by lock: the CLI's messages of the last next-call-amended request
    private List<RequestAmendment> amendedWith = List.of(); // guarded by lock

    /** Amendments for every main-loop call from now on, after those already there. */
    void everyCall(List<RequestAmendment> amendments) {
        if (amendments.isEmpty()) {
            return;
        }
        synchronized (lock) {
            List<RequestAmendment> all = new ArrayList<>(everyCall);
            all.addAll(amendments);
            everyCall = List.copyOf(all);
        }
    }

    /** Amendments for the next main-loop call (and its retries), added to those already waiting for it. */
    void nextCall(List<RequestAmendment> amendments) {
        if (amendments.isEmpty()) {
            return;
        }
        synchronized (lock) {
            List<RequestAmendment> all = new ArrayList<>(nextCall);
            all.addAll(amendments);
            nextCall = List.copyOf(all);
        }
    }

    /** A new turn is typed: what waited for a call of an earlier turn is dropped. */
    void newTurn() {
        synchronized (lock) {
            nextCall = List.of();
            amendedMessages = null;
            amendedWith = List.of();
        }
    }

    /**
     * The body to forward for a main-loop call the CLI sent as {@code sent}: {@code sent} itself when nothing
     * amends it, else the amended request written by our JSON writer.
     */
    byte[] forCall(byte[] sent) {
        List<RequestAmendment> every;
        List<RequestAmendment> next;
        JsonValue retryOf;
        synchronized (lock) {
            if (everyCall.isEmpty() && nextCall.isEmpty() && amendedMessages == null) {
                return sent;
            }
            every = everyCall;
            next = nextCall;
            retryOf = amendedMessages;
            nextCall = List.of();
        }
        JsonObject request;
        try {
            if (!(Json.parse(sent) instanceof JsonObject o)) {
                return sent;
            }
            request = o;
        } catch (JsonParseException e) {
            return sent; // classified as a main-loop call, so parsed once already: not reached
        }
        JsonValue messages = request.get("messages");
        List<RequestAmendment> once;
        synchronized (lock) {
            if (!next.isEmpty()) {
                once = next;
                amendedMessages = messages;
                amendedWith = next;
            } else if (retryOf != null && retryOf.equals(messages)) {
                once = amendedWith; // the CLI retries the amended request
            } else {
                once = List.of();
                amendedMessages = null;
                amendedWith = List.of();
            }
        }
        JsonObject amended = request;
        for (RequestAmendment a : every) {
            amended = a.apply(amended);
        }
        for (RequestAmendment a : once) {
            amended = a.apply(amended);
        }
        if (amended == request) {
            return sent;
        }
        List<String> kinds = new ArrayList<>();
        every.forEach(a -> kinds.add(a.getClass().getSimpleName()));
        once.forEach(a -> kinds.add(a.getClass().getSimpleName()));
        LOG.log(System.Logger.Level.DEBUG, "main-loop request amended: {0}", kinds);
        return Json.writeUtf8(amended);
    }
}
