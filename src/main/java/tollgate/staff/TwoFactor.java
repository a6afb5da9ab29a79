package tollgate.staff;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tollgate.core.Database;
import tollgate.core.Problem;
import tollgate.core.Vault;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;

/**
 * Two-factor sign-in of staff (decision 041): enrolment (a new secret, sealed with the server's encryption key, shown
 * once as a QR code and as text; switched on only when a first code from the app proves it was copied), the check at
 * sign-in, ten single-use recovery codes (only their SHA-256 kept). TOTP runs on real time (the system clock), not a
 * test tenant's clock: the authenticator app on a phone knows no test clock.
 */
public final class TwoFactor {
    public static final int RECOVERY_CODES = 10;
    private final Database db;
    private final StaffStore store;
    private final TenantClock clock;
    private final Vault vault;

    public TwoFactor(Database db, StaffStore store, TenantClock clock, Vault vault) {
        this.db = db;
        this.store = store;
        this.clock = clock;
        this.vault = vault;
    }

    /** A secret waiting to be confirmed: the base32 text to type and the otpauth:// link of the QR code. */
    public record Enrolment(String secret, String uri) {}

    /** Starts (or restarts) enrolment: a new secret replaces any unconfirmed one; two-factor stays off until confirmed. */
    public Enrolment start(Tenant tenant, StaffMember m) {
        return db.tx(tx -> {
            StaffStore.TotpState state = store.lockTotp(tx, tenant.id(), m.id()).orElseThrow();
            if (state.enabled()) throw new Problem(409, "two_factor_on", "Two-factor sign-in is on already: turn it off first", null);
            byte[] secret = Totp.newSecret();
            store.setTotp(tx, tenant.id(), m.id(), vault.seal(secret, m.id()), false, null);
            return new Enrolment(Totp.base32(secret), Totp.uri(tenant.name() + " (Tollgate)", m.email(), secret));
        });
    }

    /** The enrolment in progress, to draw its QR code again (a reload of the page). */
    public java.util.Optional<Enrolment> pending(Tenant tenant, StaffMember m) {
        return db.tx(tx -> store.lockTotp(tx, tenant.id(), m.id()).filter(s -> !s.enabled() && s.sealedSecret() != null)
                .map(s -> {
                    byte[] secret = vault.open(s.sealedSecret(), m.id());
                    return new Enrolment(Totp.base32(secret), Totp.uri(tenant.name() + " (Tollgate)", m.email(), secret));
                }));
    }

    /** Confirms enrolment with a code from the app: switches two-factor on and answers the recovery codes (shown once). */
    public List<String> confirm(Tenant tenant, StaffMember m, String code) {
        return db.tx(tx -> {
            StaffStore.TotpState state = store.lockTotp(tx, tenant.id(), m.id()).orElseThrow();
            if (state.enabled() || state.sealedSecret() == null)
                throw new Problem(409, "no_enrolment", "Start again: scan the new code and type the code your app shows", "code");
            long step = Totp.match(vault.open(state.sealedSecret(), m.id()), strip(code), clock.systemNow().getEpochSecond(), -1);
            if (step < 0) throw new Problem(422, "code_invalid", "That code is not right. Type the 6 digits your app shows now.", "code");
            store.setTotp(tx, tenant.id(), m.id(), state.sealedSecret(), true, step);
            List<String> codes = new ArrayList<>();
            List<String> hashes = new ArrayList<>();
            for (int i = 0; i < RECOVERY_CODES; i++) {
                String c = recoveryCode();
                codes.add(c);
                hashes.add(tollgate.web.Tokens.sha256(c));
            }
            store.replaceRecoveryCodes(tx, m.id(), hashes);
            return codes;
        });
    }

    /**
     * Whether {@code code} — six digits from the app, or a recovery code — lets {@code m} in now. The row is locked, so
     * the same code sent twice at once is accepted once; a code is never accepted again in its window.
     */
    public boolean verify(Tenant tenant, StaffMember m, String code) {
        String typed = strip(code);
        return db.tx(tx -> {
            StaffStore.TotpState state = store.lockTotp(tx, tenant.id(), m.id()).orElseThrow();
            if (!state.enabled() || state.sealedSecret() == null) return false;
            Instant now = clock.systemNow();
            if (typed.matches("\\d{6}")) {
                long step = Totp.match(vault.open(state.sealedSecret(), m.id()), typed, now.getEpochSecond(), state.lastStep());
                if (step < 0) return false;
                store.setLastStep(tx, tenant.id(), m.id(), step);
                return true;
            }
            return store.useRecoveryCode(tx, m.id(), tollgate.web.Tokens.sha256(typed.toLowerCase(java.util.Locale.ROOT)), now);
        });
    }

    public int recoveryCodesLeft(StaffMember m) {
        return store.recoveryCodesLeft(db.dsl(), m.id());
    }

    /** Turns two-factor off for {@code m} (themselves, or an owner for a member who lost their phone). */
    public void disable(Tenant tenant, StaffMember m) {
        db.tx(tx -> {
            store.lockTotp(tx, tenant.id(), m.id()).orElseThrow();
            store.setTotp(tx, tenant.id(), m.id(), null, false, null);
            store.replaceRecoveryCodes(tx, m.id(), List.of());
            return null;
        });
    }

    private static String strip(String code) {
        return code == null ? "" : code.replace(" ", "").replace("-", "").strip();
    }

    /** Ten characters of base32, lower case, grouped as xxxxx-xxxxx when shown; typed with or without the dash. */
    private static String recoveryCode() {
        return Totp.base32(Totp.newSecret()).substring(0, 10).toLowerCase(java.util.Locale.ROOT);
    }
}
