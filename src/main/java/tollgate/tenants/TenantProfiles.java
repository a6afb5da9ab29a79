package tollgate.tenants;

import java.time.Instant;
import org.jooq.DSLContext;
import tollgate.parties.CompanyDetails;
import tollgate.core.Database;
import tollgate.core.Problem;
import tollgate.events.EventLog;

/**
 * Reading and changing the tenant's own settings: its name and company details (the seller block of its invoices)
 * its default dunning policy and the gateway it attaches cards through.
 */
public final class TenantProfiles {
    /** What tenants ask dunning: does {@code nameOrId} name a policy this tenant may choose as its default. */
    public interface PolicyExists {
        boolean exists(DSLContext tx, String tenantId, String nameOrId);
    }

    /** The {@code dunning_policy} value that clears the tenant's default (null and absent leave it as it is). */
    public static final String NO_DEFAULT_POLICY = "";

    /** A change of the tenant's gateway: a name, or {@link #DEFAULT} (null) for its mode's default. */
    public record GatewayChoice(String name) {
        public static final GatewayChoice DEFAULT = new GatewayChoice(null);
    }

    private final Database db;
    private final TenantProfileStore store;
    private final TenantClock clock;
    private final EventLog events;
    private final PolicyExists policies;
    private final tollgate.core.Vault vault;
    /**
     * Each tenant's own Stripe keys, opened, for every charge and refund: a change made here is seen at once, one made
     * by another node within {@link #STRIPE_KEYS_MAX_AGE}.
     */
    private final com.github.benmanes.caffeine.cache.LoadingCache<String, java.util.Optional<StripeKeys>> stripeKeys;
    public static final java.time.Duration STRIPE_KEYS_MAX_AGE = java.time.Duration.ofSeconds(10);

    public TenantProfiles(Database db, TenantProfileStore store, TenantClock clock, EventLog events, PolicyExists policies,
                          tollgate.core.Vault vault) {
        this.db = db;
        this.store = store;
        this.clock = clock;
        this.events = events;
        this.policies = policies;
        this.vault = vault;
        this.stripeKeys = com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterWrite(STRIPE_KEYS_MAX_AGE).build(tenantId -> store.stripeKey(db.dsl(), tenantId)
                        .map(k -> new StripeKeys(vault.openText(k.sealed(), stripeAad(tenantId)), k.publishableKey())));
    }

    /** The tenant's own Stripe keys, or empty: the server-wide key serves it. */
    public java.util.Optional<StripeKeys> stripeKeys(Tenant tenant) {
        return stripeKeys.get(tenant.id());
    }

    private static String stripeAad(String tenantId) {
        return "tenant-stripe-key:" + tenantId;
    }

    public TenantProfile get(Tenant tenant) {
        return store.find(db.dsl(), tenant.id()).orElseThrow();
    }

    /** The gateway the tenant chose for attaching new cards, or null for its mode's default. */
    public String gateway(Tenant tenant) {
        return store.gateway(db.dsl(), tenant.id());
    }

    public TenantProfile update(Tenant tenant, String name, SellerCompany company) {
        return update(tenant, name, company, null, null);
    }

    /**
     * Changes the name (when given), replaces the company details (when given: the whole object, so a field left
     * out is cleared), sets the default dunning policy (when given; {@link #NO_DEFAULT_POLICY} clears it, so that
     * each plan's type picks its built-in again) and the gateway (when given; {@link GatewayChoice#DEFAULT} goes back
     * to the mode's default; which gateways a tenant may choose is the payments' rule, checked by the caller).
     * Records {@code tenant.updated}.
     */
    public TenantProfile update(Tenant tenant, String name, SellerCompany company, String dunningPolicy, GatewayChoice gateway) {
        return update(tenant, name, company, dunningPolicy, gateway, null, null);
    }

    private static final java.util.regex.Pattern COLOR = java.util.regex.Pattern.compile("#[0-9a-fA-F]{6}");

    /**
     * {@link #update(Tenant, String, SellerCompany, String, GatewayChoice)}, and also the portal's {@code slug} (when
     * given; {@code ""} clears it) and the emails' {@code branding} (when given: the whole object, as company).
     */
    public TenantProfile update(Tenant tenant, String name, SellerCompany company, String dunningPolicy, GatewayChoice gateway,
                                String slug, EmailBranding branding) {
        return update(tenant, name, company, dunningPolicy, gateway, slug, branding, null);
    }

    /**
     * All of the above, and the tenant's own Stripe keys (when given; {@link StripeKeys#CLEAR} removes them). Whether a
     * key suits the tenant's mode is the payments' rule, checked by the caller. The secret is sealed; the event and the
     * answer show its prefix and last four only.
     */
    public TenantProfile update(Tenant tenant, String name, SellerCompany company, String dunningPolicy, GatewayChoice gateway,
                                String slug, EmailBranding branding, StripeKeys stripe) {
        if (name != null) Tenant.requireName("name", name);
        if (slug != null && !slug.isEmpty() && !Tenants.SLUG.matcher(slug).matches())
            throw Problem.invalid("slug", "parameter_invalid", "'slug' must be 1 to 60 lower-case letters, digits or dashes, "
                    + "not starting or ending with a dash");
        if (branding != null) checked(branding);
        if (company != null) {
            CompanyDetails.checked("company", company.details());
            if (company.supportEmail() != null) CompanyDetails.requireEmail("company.support_email", company.supportEmail());
        }
        TenantProfile changed = db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            if (dunningPolicy != null && !dunningPolicy.equals(NO_DEFAULT_POLICY) && !policies.exists(tx, tenant.id(), dunningPolicy))
                throw Problem.invalid("dunning_policy", "dunning_policy_unknown", "'" + dunningPolicy
                        + "' is not a dunning policy of yours; give a policy id, a built-in (licenses_default, hosting_default) "
                        + "or \"\" for none");
            if (slug != null && !slug.isEmpty() && store.slugTaken(tx, tenant.id(), slug))
                throw new Problem(409, "slug_taken", "Another tenant's portal is at '" + slug + "'", "slug");
            TenantProfile before = store.lock(tx, tenant.id()).orElseThrow();
            String policy = dunningPolicy == null ? before.dunningPolicy()
                    : dunningPolicy.equals(NO_DEFAULT_POLICY) ? null : dunningPolicy;
            TenantProfile after = new TenantProfile(before.id(), name == null ? before.name() : name.strip(), before.mode(),
                    company == null ? before.company() : company, policy, gateway == null ? before.gateway() : gateway.name(),
                    slug == null ? before.slug() : slug.isEmpty() ? null : slug, branding == null ? before.branding() : branding,
                    stripe == null ? before.stripeKeyHint() : stripe.cleared() ? null : StripeKeys.hint(stripe.secretKey()),
                    stripe == null ? before.stripePublishableKey() : stripe.publishableKey());
            store.update(tx, after);
            if (stripe != null)
                store.setStripeKey(tx, tenant.id(), stripe.cleared() ? null : vault.sealText(stripe.secretKey(), stripeAad(tenant.id())),
                        after.stripeKeyHint(), after.stripePublishableKey());
            events.append(tx, tenant.id(), "tenant.updated", null, now, after);
            return after;
        });
        if (stripe != null) db.afterCommit(() -> stripeKeys.invalidate(tenant.id()));
        return changed;
    }

    /** A sender's name goes into a mail header: one line. Addresses are addresses, the logo a URL, colours #rrggbb. */
    private static void checked(EmailBranding b) {
        if (b.senderName() != null) {
            CompanyDetails.requireText("branding.sender_name", b.senderName(), 100);
            if (b.senderName().chars().anyMatch(c -> c < 0x20 || c == 0x7f))
                throw Problem.invalid("branding.sender_name", "parameter_invalid", "'branding.sender_name' must be one line of text");
        }
        if (b.senderEmail() != null) CompanyDetails.requireEmail("branding.sender_email", b.senderEmail());
        if (b.replyTo() != null) CompanyDetails.requireEmail("branding.reply_to", b.replyTo());
        if (b.logoUrl() != null && (b.logoUrl().length() > 2000 || !b.logoUrl().matches("https?://[^\\s\"'<>]+")))
            throw Problem.invalid("branding.logo_url", "parameter_invalid", "'branding.logo_url' must be an http(s) URL of at most 2000 characters");
        if (b.brandColor() != null && !COLOR.matcher(b.brandColor()).matches())
            throw Problem.invalid("branding.brand_color", "parameter_invalid", "'branding.brand_color' must be a colour like #1a56db");
        if (b.accentColor() != null && !COLOR.matcher(b.accentColor()).matches())
            throw Problem.invalid("branding.accent_color", "parameter_invalid", "'branding.accent_color' must be a colour like #f3f4f6");
    }
}
