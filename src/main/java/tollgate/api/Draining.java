package tollgate.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's graceful stop, with the answer a client can act on (decision 045): once the server is stopping, requests in
 * flight run to their end while a new request on a connection that is still open is answered 503 {@code shutting_down}
 * with {@code Retry-After: 1} and {@code Connection: close} (Jetty's own 503 says neither when nor what), so that the
 * client retries on another node or after the restart. Nothing of such a request was read into a service.
 */
final class Draining extends GracefulHandler {
    static final String RETRY_AFTER_SECONDS = "1";

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!isShutdown()) return super.handle(request, response, callback);
        String requestId = Http.newRequestId();
        byte[] body = Http.problem(503, "shutting_down", "This server is stopping; retry the request", null, requestId)
                .body().getBytes(StandardCharsets.UTF_8);
        response.setStatus(503);
        response.getHeaders().put(Http.REQUEST_ID_HEADER, requestId);
        response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
