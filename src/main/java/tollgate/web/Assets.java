package tollgate.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;

/**
 * The pages' static files, served from the jar under names that carry a hash of their content
 * ({@code /assets/app-3f2a….css}): they may be cached for a year, and a new build's files get new names.
 * htmx comes from its WebJar (no CDN); the CSS is ours.
 */
public final class Assets {
    private record Asset(String contentType, byte[] bytes) {}

    private final Map<String, Asset> byName;
    private final String css;
    private final String htmx;
    /** Page scripts from /web/ (never inline: CSP), by file name → hashed name. */
    private final Map<String, String> scripts = new java.util.HashMap<>();

    public Assets() {
        byte[] cssBytes = read("/web/app.css");
        String htmxVersion = webjarVersion("htmx.org");
        byte[] htmxBytes = read("/META-INF/resources/webjars/htmx.org/" + htmxVersion + "/dist/htmx.min.js");
        this.css = "app-" + hash(cssBytes) + ".css";
        this.htmx = "htmx-" + htmxVersion + "-" + hash(htmxBytes) + ".js";
        Map<String, Asset> all = new java.util.HashMap<>(Map.of(css, new Asset("text/css; charset=utf-8", cssBytes),
                htmx, new Asset("text/javascript; charset=utf-8", htmxBytes)));
        for (String file : new String[] {"licenses.js"}) {
            byte[] js = read("/web/" + file);
            String hashed = file.replace(".js", "-" + hash(js) + ".js");
            scripts.put(file, hashed);
            all.put(hashed, new Asset("text/javascript; charset=utf-8", js));
        }
        this.byName = Map.copyOf(all);
    }

    public String css() { return "/assets/" + css; }

    public String htmx() { return "/assets/" + htmx; }

    /** The address of a page script kept in /web/ (e.g. "licenses.js"). */
    public String script(String file) {
        String hashed = scripts.get(file);
        if (hashed == null) throw new IllegalArgumentException("no script " + file);
        return "/assets/" + hashed;
    }

    /** GET /assets/{name}: the file with a year's caching, or 404. */
    void serve(Context ctx) {
        Asset a = byName.get(ctx.pathParam("name"));
        if (a == null) {
            ctx.status(404).contentType("text/plain; charset=utf-8").result("Not found");
            return;
        }
        ctx.header("Cache-Control", "public, max-age=31536000, immutable");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType(a.contentType()).result(a.bytes());
    }

    private static String hash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String webjarVersion(String artifact) {
        Properties p = new Properties();
        try (InputStream in = Assets.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties")) {
            p.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the " + artifact + " WebJar is missing from the class path", e);
        }
        return p.getProperty("version");
    }

    private static byte[] read(String resource) {
        try (InputStream in = Assets.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is missing from the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
