package tollgate.tenants;

import java.util.HexFormat;
import java.util.Optional;
import tollgate.core.Database;
import tollgate.core.Problem;

/**
 * The tenant's logo (decision 041): a PNG or JPEG of at most {@link #MAX_BYTES}, told apart by its first bytes (the
 * name and the browser's declared type are not trusted; SVG is refused, as it can carry script). Served publicly at
 * {@link #path}, the portal's header and the emails' {@code logo_url} point there.
 */
public final class TenantLogos {
    public static final int MAX_BYTES = 256 * 1024;
    private final Database db;
    private final TenantLogoStore store;
    private final TenantClock clock;

    public record Logo(String contentType, String sha256, byte[] bytes) {}

    public TenantLogos(Database db, TenantLogoStore store, TenantClock clock) {
        this.db = db;
        this.store = store;
        this.clock = clock;
    }

    /** The public path of a logo: /brand/{tenant id}/{sha256:16}.png|jpg. */
    public static String path(String tenantId, String sha256, String contentType) {
        return "/brand/" + tenantId + "/" + sha256.substring(0, 16) + (contentType.equals("image/png") ? ".png" : ".jpg");
    }

    /** Checks and stores the logo; answers its public path. 422 {@code logo_invalid} for anything else. */
    public String put(Tenant tenant, byte[] bytes) {
        if (bytes == null || bytes.length == 0) throw new Problem(422, "logo_invalid", "Choose an image file", "logo");
        if (bytes.length > MAX_BYTES) throw new Problem(422, "logo_invalid", "The logo must be at most 256 KB", "logo");
        String type = typeOf(bytes).orElseThrow(() -> new Problem(422, "logo_invalid", "The logo must be a PNG or JPEG image", "logo"));
        String sha = sha256(bytes);
        Logo logo = new Logo(type, sha, bytes);
        db.tx(tx -> {
            store.put(tx, tenant.id(), logo, clock.now(tx, tenant));
            return null;
        });
        return path(tenant.id(), sha, type);
    }

    public void remove(Tenant tenant) {
        store.delete(db.dsl(), tenant.id());
    }

    /** The logo's path, if the tenant has one (the portal's header asks on each page: one indexed read). */
    public Optional<String> pathOf(String tenantId) {
        return store.path(db.dsl(), tenantId);
    }

    /** The logo's bytes, if the tenant has one (printed on its invoice PDFs). */
    public Optional<byte[]> bytesOf(String tenantId) {
        return store.find(db.dsl(), tenantId).map(Logo::bytes);
    }

    /** The logo for /brand/{tenant}/{name}, only when the name is the current one's. */
    public Optional<Logo> serve(String tenantId, String name) {
        return store.find(db.dsl(), tenantId).filter(l -> path(tenantId, l.sha256(), l.contentType()).endsWith("/" + name));
    }

    static Optional<String> typeOf(byte[] b) {
        if (b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') return Optional.of("image/png");
        if (b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) return Optional.of("image/jpeg");
        return Optional.empty();
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
