package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One browser of a portal over plain HTTP: its own cookies (kept by hand, so a {@code Secure} one is still sent, as a
 * TLS proxy in front would), no redirects followed, every Set-Cookie it was answered kept for the test to read.
 */
final class PortalVisitor {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"(form_token|token)\" value=\"([^\"]+)\"");
    private final HttpClient http = HttpClient.newHttpClient();
    final String base;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, String> jar = new LinkedHashMap<>();
    final List<String> setCookies = new ArrayList<>();

    /** {@code base}: the portal's address, ending in a slash ({@code http://…/portal/slug/}). */
    PortalVisitor(String base) {
        this.base = base;
    }

    /** A header sent with every request (X-Forwarded-Proto, as a proxy writes it). */
    PortalVisitor always(String name, String value) {
        headers.put(name, value);
        return this;
    }

    private HttpRequest prepared(HttpRequest.Builder b) {
        headers.forEach(b::header);
        if (!jar.isEmpty()) b.header("Cookie", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
        return b.build();
    }

    HttpResponse<String> send(HttpRequest.Builder b) {
        HttpResponse<String> r;
        try {
            r = http.send(prepared(b), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        keepCookies(r);
        return r;
    }

    /**
     * The form sent twice at once, as a double click sends it: both requests carry the cookies of before either answer
     * (the browser had no answer yet). The answers, in the order the requests were made.
     */
    List<HttpResponse<String>> postTwiceAtOnce(String page, Map<String, String> form) {
        String body = encode(form);
        List<HttpRequest> two = List.of(1, 2).stream().map(i -> prepared(HttpRequest.newBuilder(URI.create(base + page))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)))).toList();
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> sent = two.stream()
                .map(r -> http.sendAsync(r, HttpResponse.BodyHandlers.ofString())).toList();
        List<HttpResponse<String>> answers = sent.stream().map(java.util.concurrent.CompletableFuture::join).toList();
        answers.forEach(this::keepCookies);
        return answers;
    }

    private static String encode(Map<String, String> form) {
        return form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private void keepCookies(HttpResponse<String> r) {
        for (String c : r.headers().allValues("Set-Cookie")) {
            setCookies.add(c);
            String pair = c.substring(0, c.indexOf(';'));
            String name = pair.substring(0, pair.indexOf('='));
            if (c.contains("Max-Age=0")) jar.remove(name);
            else jar.put(name, pair.substring(pair.indexOf('=') + 1));
        }
    }

    HttpResponse<String> get(String page) {
        return send(HttpRequest.newBuilder(URI.create(base + page)));
    }

    HttpResponse<String> post(String page, Map<String, String> form) {
        String body = encode(form);
        return send(HttpRequest.newBuilder(URI.create(base + page)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The fields a form of {@code formPage} carries besides what the user types: its CSRF token and any form token. */
    Map<String, String> hiddenOf(String formPage) {
        HttpResponse<String> page = get(formPage);
        assertThat(page.statusCode()).as(formPage).isEqualTo(200);
        Matcher m = CSRF.matcher(page.body());
        assertThat(m.find()).as("a CSRF field on " + formPage).isTrue();
        Map<String, String> hidden = new LinkedHashMap<>();
        hidden.put("_csrf", m.group(1));
        Matcher t = FORM_TOKEN.matcher(page.body());
        if (t.find()) hidden.put(t.group(1), t.group(2));
        return hidden;
    }

    /** Posts {@code fields} to {@code action} the way the page {@code formPage} does: with the tokens that page carries. */
    HttpResponse<String> submit(String formPage, String action, Map<String, String> fields) {
        Map<String, String> form = new LinkedHashMap<>(fields);
        form.putAll(hiddenOf(formPage));
        return post(action, form);
    }

    /** The Set-Cookie headers of one cookie, in the order they came. */
    List<String> setCookiesOf(String name) {
        return setCookies.stream().filter(c -> c.startsWith(name + "=")).toList();
    }

    /** Signs a new customer up (company {@code company}, owner {@code email}); ends signed in. */
    PortalVisitor signUp(String company, String email, String password) {
        HttpResponse<String> r = submit("signup", "signup", Map.of("company", company, "contact_name", "Ada Lovelace",
                "email", email, "country", "GB", "timezone", "Europe/London", "password", password));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/dashboard");
        return this;
    }
}
