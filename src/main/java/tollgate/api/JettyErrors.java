package tollgate.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty gives itself, before a request reaches a route: a path that is not UTF-8 ({@code /v1/invoices/inv_%FF}),
 * an ambiguous or over-long URI, a request head too large. Problem JSON with a stable code, as every other refusal,
 * instead of Jetty's HTML page.
 */
final class JettyErrors extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause, Callback callback)
            throws IOException {
        String code = switch (status) {
            case 400 -> "request_malformed";
            case 404 -> "route_not_found";
            case 413 -> "body_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            case 500 -> "internal_error";
            default -> "http_" + status;
        };
        String detail = status >= 500 ? "Something went wrong on our side"
                : "The request could not be read" + (message == null || message.isBlank() ? "" : ": " + message);
        String requestId = Http.newRequestId();
        byte[] body = Http.problem(status, code, detail, null, requestId).body().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(Http.REQUEST_ID_HEADER, requestId);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
