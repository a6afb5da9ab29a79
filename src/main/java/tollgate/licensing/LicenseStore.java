package tollgate.licensing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import tollgate.core.NewestFirst;
import org.jooq.Record;
import tollgate.licensing.SiteCheck.Snapshot;

/** SQL for licenses and bundles. Keys arrive and leave sealed; {@link Licensing} opens them. */
public final class LicenseStore {
    private static final String COLUMNS = "id, account_id, plan_id, bundle_id, key_sealed, key_suffix, status, site_url, issued_at, "
            + "revoked_at, metadata";

    /** A license row: the license without its key, and the sealed key. */
    public record Row(License license, byte[] keySealed) {}

    public void insert(DSLContext db, String tenantId, List<Row> rows, List<String> keyHashes) {
        List<Object[]> values = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            License l = rows.get(i).license();
            values.add(new Object[] {l.id(), tenantId, l.account(), l.plan(), l.bundle(), keyHashes.get(i), rows.get(i).keySealed(),
                    l.keySuffix(), l.status().wire(), l.issuedAt(), tollgate.core.Metadata.stored(l.metadata())});
        }
        // Multi-row statements with their values bound (one round trip for up to 256 licenses), not jOOQ's static batch,
        // a statement text per license with its values, the sealed key among them, written in.
        tollgate.core.Bulk.insertRows(db, "insert into licenses (id, tenant_id, account_id, plan_id, bundle_id, key_hash, key_sealed, key_suffix, "
                + "status, site_url, live_site, issued_at, metadata, version) values",
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, null, null, ?, ?, nextval('license_changes'))", "", values);
    }

    public Optional<Row> find(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select " + COLUMNS + " from licenses where tenant_id = ? and id = ?", tenantId, id).map(LicenseStore::row);
    }

    /** Locks the license's row for the rest of the transaction. */
    public Optional<Row> lock(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select " + COLUMNS + " from licenses where tenant_id = ? and id = ? for update", tenantId, id).map(LicenseStore::row);
    }

    /** What a site's validation needs, read without locks. */
    public Optional<Snapshot> snapshot(DSLContext db, String keyHash) {
        return db.fetchOptional("select tenant_id, id, account_id, plan_id, status, site_url from licenses where key_hash = ?", keyHash)
                .map(r -> new Snapshot(r.get("tenant_id", String.class), r.get("id", String.class), r.get("account_id", String.class),
                        r.get("plan_id", String.class), LicenseStatus.parse(r.get("status", String.class)), r.get("site_url", String.class)));
    }

    /** Writes status and site; {@code live_site} follows them so the unique index sees only live assignments. */
    public void update(DSLContext db, String tenantId, License l) {
        String live = l.status() == LicenseStatus.ASSIGNED ? l.siteUrl() : null;
        db.execute("update licenses set status = ?, site_url = ?, live_site = ?, revoked_at = ?, version = nextval('license_changes') "
                        + "where tenant_id = ? and id = ?",
                l.status().wire(), l.siteUrl(), live, l.revokedAt(), tenantId, l.id());
    }

    /** Another live license of this plan holds this site (the unique index is the last guard). */
    public Optional<String> liveLicenseOfSite(DSLContext db, String tenantId, String planId, String site) {
        return db.fetchOptional("select id from licenses where tenant_id = ? and plan_id = ? and live_site = ?", tenantId, planId, site)
                .map(r -> r.get(0, String.class));
    }

    /** Newest first, optionally one status only. */
    public List<Row> list(DSLContext db, String tenantId, String accountId, LicenseStatus status, String startingAfter, int limit) {
        String sql = "select " + COLUMNS + " from licenses where tenant_id = ? and account_id = ?";
        return NewestFirst.page(db, sql, List.of(tenantId, accountId), status == null ? "" : " and status = ?",
                status == null ? List.of() : List.of(status.wire()), startingAfter, limit, LicenseStore::row);
    }

    /**
     * The portal's page of an account's licenses (decision 034): newest first, optionally one status, optionally those
     * whose key ends with {@code keySuffix} or whose site contains {@code siteText}; {@code offset} rows skipped.
     */
    public List<Row> accountPage(DSLContext db, String tenantId, String accountId, LicenseStatus status, String keySuffix,
                                 String siteText, int offset, int limit, java.util.Map<String, Instant> lastChecked) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + ", last_checked_at from licenses where tenant_id = ? and account_id = ?");
        List<Object> args = new ArrayList<>(List.of(tenantId, accountId));
        if (status != null) {
            sql.append(" and status = ?");
            args.add(status.wire());
        }
        if (keySuffix != null || siteText != null) {
            sql.append(" and (");
            if (keySuffix != null) {
                sql.append("key_suffix = ?");
                args.add(keySuffix);
            }
            if (siteText != null) {
                sql.append(keySuffix != null ? " or " : "").append("site_url like ? escape '!'");
                args.add(tollgate.core.Sql.containsPattern(siteText));
            }
            sql.append(")");
        }
        // Newest first in the order of an index, (tenant, account, status, id) or (tenant, account, id), read backwards:
        // H2 sorts every match of the account for "order by id desc" alone.
        sql.append(status != null ? " order by tenant_id desc, account_id desc, status desc, id desc" : " order by tenant_id desc, account_id desc, id desc")
                .append(" limit ? offset ?");
        args.add(limit);
        args.add(offset);
        return db.fetch(sql.toString(), args.toArray()).map(r -> {
            Instant checked = r.get("last_checked_at", Instant.class);
            if (checked != null) lastChecked.put(r.get("id", String.class), checked);
            return row(r);
        });
    }

    /**
     * Stamps the licenses' last check (decision 047) with {@code now}, except those stamped since {@code notBefore}: one
     * statement for all of them. Answers the rows written.
     */
    public int markChecked(DSLContext db, String tenantId, List<String> licenseIds, Instant now, Instant notBefore) {
        List<Object> args = new ArrayList<>(List.of(now, tenantId));
        args.addAll(licenseIds);
        args.add(notBefore);
        return db.execute("update licenses set last_checked_at = ? where tenant_id = ? and id in ("
                + tollgate.core.Sql.placeholders(licenseIds.size()) + ") and (last_checked_at is null or last_checked_at < ?)", args.toArray());
    }

    /** How many of the account's licenses are in each status (an index-only count). */
    public java.util.Map<LicenseStatus, Integer> countsOf(DSLContext db, String tenantId, String accountId) {
        java.util.Map<LicenseStatus, Integer> counts = new java.util.EnumMap<>(LicenseStatus.class);
        for (LicenseStatus s : LicenseStatus.values()) counts.put(s, 0);
        db.fetch("select status, count(*) from licenses where tenant_id = ? and account_id = ? group by status", tenantId, accountId)
                .forEach(r -> counts.put(LicenseStatus.parse(r.get(0, String.class)), r.get(1, Integer.class)));
        return counts;
    }

    /** The account's licenses that are not revoked, locked, in id order. */
    public List<Row> lockLiveOfAccount(DSLContext db, String tenantId, String accountId) {
        return db.fetch("select " + COLUMNS + " from licenses where tenant_id = ? and account_id = ? and status <> 'revoked' "
                + "order by id for update", tenantId, accountId).map(LicenseStore::row);
    }

    /** The account's bundles that are still active, locked, in id order. */
    public List<Bundle> lockActiveBundlesOfAccount(DSLContext db, String tenantId, String accountId) {
        return db.fetch("select id, account_id, plan_id, size, status, created_at, revoked_at from bundles "
                + "where tenant_id = ? and account_id = ? and status = 'active' order by id for update", tenantId, accountId)
                .map(LicenseStore::bundle);
    }

    public List<Row> ofBundle(DSLContext db, String bundleId) {
        return db.fetch("select " + COLUMNS + " from licenses where bundle_id = ? order by id", bundleId).map(LicenseStore::row);
    }

    /** Key hashes of licenses changed after {@code version}, oldest change first, with the newest version seen. */
    public record Changes(List<String> keyHashes, long newest) {}

    public Changes changedSince(DSLContext db, long version, int limit) {
        var rows = db.fetch("select key_hash, version from licenses where version > ? order by version limit ?", version, limit);
        long newest = version;
        List<String> hashes = new ArrayList<>(rows.size());
        for (Record r : rows) {
            hashes.add(r.get(0, String.class));
            newest = Math.max(newest, r.get(1, Long.class));
        }
        return new Changes(hashes, newest);
    }

    public long newestVersion(DSLContext db) {
        Long v = db.fetchOne("select max(version) from licenses").get(0, Long.class);
        return v == null ? 0 : v;
    }

    /** One account's licenses overlapping [from, to) after {@code afterId} (null: from the first), in id order, a page at a time. */
    public org.jooq.Result<Record> overlappingPage(DSLContext db, String tenantId, String accountId, Instant from, Instant to,
                                                   String afterId, int limit) {
        return db.fetch("select id, account_id, plan_id, key_suffix, site_url, issued_at, revoked_at from licenses "
                + "where tenant_id = ? and account_id = ? and issued_at < ? and (revoked_at is null or revoked_at > ?) and id > ? "
                // in the order of the index (tenant, account, id), which H2 then reads without sorting every match
                + "order by tenant_id, account_id, id limit ?", tenantId, accountId, to, from, afterId == null ? "" : afterId, limit);
    }

    /** One account's licenses overlapping [from, to), counted by plan and by their issue and revocation instants. */
    public org.jooq.Result<Record> overlappingGroups(DSLContext db, String tenantId, String accountId, Instant from, Instant to) {
        return db.fetch("select plan_id, issued_at, revoked_at, count(*) as n from licenses where tenant_id = ? and account_id = ? "
                + "and issued_at < ? and (revoked_at is null or revoked_at > ?) group by plan_id, issued_at, revoked_at",
                tenantId, accountId, to, from);
    }

    /** Licenses of the accounts whose [issued_at, revoked_at) overlaps [from, to), ordered by account, for the monthly bill. */
    public org.jooq.Result<Record> overlapping(DSLContext db, String tenantId, List<String> accountIds, Instant from, Instant to) {
        List<Object> args = new ArrayList<>(List.of(tenantId));
        args.addAll(accountIds);
        args.add(to);
        args.add(from);
        return db.fetch("select id, account_id, plan_id, key_suffix, site_url, issued_at, revoked_at from licenses "
                + "where tenant_id = ? and account_id in (" + tollgate.core.Sql.placeholders(accountIds.size())
                + ") and issued_at < ? and (revoked_at is null or revoked_at > ?) order by account_id, id", args.toArray());
    }

    public void insertBundle(DSLContext db, String tenantId, Bundle b) {
        db.execute("insert into bundles (id, tenant_id, account_id, plan_id, size, status, created_at) values (?, ?, ?, ?, ?, ?, ?)",
                b.id(), tenantId, b.account(), b.plan(), b.size(), b.status(), b.createdAt());
    }

    public Optional<Bundle> lockBundle(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select id, account_id, plan_id, size, status, created_at, revoked_at from bundles "
                + "where tenant_id = ? and id = ? for update", tenantId, id).map(LicenseStore::bundle);
    }

    public Optional<Bundle> findBundle(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select id, account_id, plan_id, size, status, created_at, revoked_at from bundles "
                + "where tenant_id = ? and id = ?", tenantId, id).map(LicenseStore::bundle);
    }

    /** The account's bundles, newest first (a page of {@link tollgate.core.NewestFirst}). */
    public List<Bundle> bundlesOf(DSLContext db, String tenantId, String accountId, String startingAfter, int limit) {
        return tollgate.core.NewestFirst.page(db, "select id, account_id, plan_id, size, status, created_at, revoked_at from bundles "
                + "where tenant_id = ? and account_id = ?", List.of(tenantId, accountId), startingAfter, limit, LicenseStore::bundle);
    }

    /** Metadata is the tenant's own: no version bump, since sites' checks never read it. */
    public void setMetadata(DSLContext db, String tenantId, String id, java.util.Map<String, String> metadata) {
        db.execute("update licenses set metadata = ? where tenant_id = ? and id = ?", tollgate.core.Metadata.stored(metadata), tenantId, id);
    }

    public void revokeBundle(DSLContext db, String id, Instant at) {
        db.execute("update bundles set status = 'revoked', revoked_at = ? where id = ?", at, id);
    }

    private static Row row(Record r) {
        License l = new License(r.get("id", String.class), r.get("account_id", String.class), null, r.get("key_suffix", String.class),
                r.get("plan_id", String.class), r.get("bundle_id", String.class), LicenseStatus.parse(r.get("status", String.class)),
                r.get("site_url", String.class), tollgate.core.Metadata.read(r.get("metadata", String.class)),
                r.get("issued_at", Instant.class), r.get("revoked_at", Instant.class));
        return new Row(l, r.get("key_sealed", byte[].class));
    }

    private static Bundle bundle(Record r) {
        return new Bundle(r.get("id", String.class), r.get("account_id", String.class), r.get("plan_id", String.class),
                r.get("size", Integer.class), r.get("status", String.class), r.get("created_at", Instant.class),
                r.get("revoked_at", Instant.class), List.of());
    }

    /**
     * The accounts holding a license whose key is {@code keyHash}, whose key ends with {@code keySuffix}, or whose site
     * contains {@code siteLike} (an escaped lower-case pattern); each may be null. The console's search.
     */
    public List<String> accountsMatching(DSLContext db, String tenantId, String keyHash, String keySuffix, String siteLike, int limit) {
        List<String> where = new ArrayList<>();
        List<Object> args = new ArrayList<>(List.of(tenantId));
        if (keyHash != null) { where.add("key_hash = ?"); args.add(keyHash); }
        if (keySuffix != null) { where.add("key_suffix = ?"); args.add(keySuffix); }
        if (siteLike != null) { where.add("lower(site_url) like ? escape '!'"); args.add(siteLike); }
        if (where.isEmpty()) return List.of();
        args.add(limit);
        return db.fetch("select distinct account_id from licenses where tenant_id = ? and (" + String.join(" or ", where)
                + ") order by account_id limit ?", args.toArray()).map(r -> r.get(0, String.class));
    }
}
