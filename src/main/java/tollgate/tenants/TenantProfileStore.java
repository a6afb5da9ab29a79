package tollgate.tenants;

import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import tollgate.parties.Address;
import tollgate.parties.Company;

/** SQL for a tenant's name and company details (the seller on its invoices). */
public final class TenantProfileStore implements TenantProfileDirectory {
    private static final String COLUMNS = "id, name, mode, legal_name, address_line1, address_line2, address_city, "
            + "address_postal_code, address_state, address_country, tax_id, billing_email, support_email, dunning_policy, gateway, slug, sender_name, sender_email, reply_to, logo_url, brand_color, accent_color, "
            + "stripe_secret_key_hint, stripe_publishable_key";
    /** Lookups by the primary key, prepared on the server (decision 083). */
    private static final String FIND = tollgate.core.Database.byKey("select " + COLUMNS + " from tenants where id = ?");
    private static final String GATEWAY = tollgate.core.Database.byKey("select gateway from tenants where id = ?");

    @Override
    public Optional<TenantProfile> find(DSLContext db, String tenantId) {
        return db.fetchOptional(FIND, tenantId).map(TenantProfileStore::profile);
    }

    /** The gateway the tenant chose, or null for its mode's default. */
    public String gateway(DSLContext db, String tenantId) {
        return db.fetchOptional(GATEWAY, tenantId)
                .map(r -> r.get(0, String.class)).orElse(null);
    }

    /** Locks the tenant's row and reads it: changes of one tenant's details take turns. */
    public Optional<TenantProfile> lock(DSLContext tx, String tenantId) {
        return tx.fetchOptional("select " + COLUMNS + " from tenants where id = ? for update", tenantId).map(TenantProfileStore::profile);
    }

    /** Whether another tenant's portal already has {@code slug}. */
    public boolean slugTaken(DSLContext tx, String tenantId, String slug) {
        return tx.fetchExists(tx.selectOne().from("tenants").where("slug = ? and id <> ?", slug, tenantId));
    }

    public void update(DSLContext tx, TenantProfile p) {
        Company c = p.company().details();
        Address a = c.address() == null ? new Address(null, null, null, null, null, null) : c.address();
        tx.execute("update tenants set name = ?, legal_name = ?, address_line1 = ?, address_line2 = ?, address_city = ?, "
                        + "address_postal_code = ?, address_state = ?, address_country = ?, tax_id = ?, billing_email = ?, "
                        + "support_email = ?, dunning_policy = ?, gateway = ?, slug = ?, sender_name = ?, sender_email = ?, reply_to = ?, "
                        + "logo_url = ?, brand_color = ?, accent_color = ? where id = ?",
                p.name(), c.legalName(), a.line1(), a.line2(), a.city(), a.postalCode(), a.state(), a.country(), c.taxId(),
                c.billingEmail(), p.company().supportEmail(), p.dunningPolicy(), p.gateway(), p.slug(), p.branding().senderName(),
                p.branding().senderEmail(), p.branding().replyTo(), p.branding().logoUrl(), p.branding().brandColor(), p.branding().accentColor(), p.id());
    }

    private static TenantProfile profile(Record r) {
        Address address = new Address(r.get("address_line1", String.class), r.get("address_line2", String.class),
                r.get("address_city", String.class), r.get("address_postal_code", String.class),
                r.get("address_state", String.class), r.get("address_country", String.class));
        boolean noAddress = address.equals(new Address(null, null, null, null, null, null));
        Company company = new Company(r.get("legal_name", String.class), noAddress ? null : address,
                r.get("tax_id", String.class), r.get("billing_email", String.class));
        return new TenantProfile(r.get("id", String.class), r.get("name", String.class), r.get("mode", String.class),
                new SellerCompany(company, r.get("support_email", String.class)), r.get("dunning_policy", String.class),
                r.get("gateway", String.class), r.get("slug", String.class), new EmailBranding(r.get("sender_name", String.class),
                r.get("sender_email", String.class), r.get("reply_to", String.class), r.get("logo_url", String.class),
                r.get("brand_color", String.class), r.get("accent_color", String.class)),
                r.get("stripe_secret_key_hint", String.class), r.get("stripe_publishable_key", String.class));
    }

    /** The tenant's own Stripe secret key as sealed, and its publishable key; empty when it has none. */
    public Optional<SealedStripeKey> stripeKey(DSLContext db, String tenantId) {
        return db.fetchOptional("select stripe_secret_key, stripe_publishable_key from tenants where id = ? and stripe_secret_key is not null",
                tenantId).map(r -> new SealedStripeKey(r.get(0, byte[].class), r.get(1, String.class)));
    }

    public record SealedStripeKey(byte[] sealed, String publishableKey) {}

    /** Sets (or, with nulls, removes) the tenant's own Stripe keys. */
    public void setStripeKey(DSLContext tx, String tenantId, byte[] sealed, String hint, String publishableKey) {
        tx.execute("update tenants set stripe_secret_key = ?, stripe_secret_key_hint = ?, stripe_publishable_key = ? where id = ?",
                sealed, hint, publishableKey, tenantId);
    }
}
