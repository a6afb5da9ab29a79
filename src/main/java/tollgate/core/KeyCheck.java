package tollgate.core;

import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * Whether the encryption key is the one the database's secrets were sealed with (decision 079): one value sealed with
 * the first key a database met, opened again at every start. Another key would seal new secrets that the old key cannot
 * open, while every old one stays unreadable; a start with it is refused before it seals anything.
 */
public final class KeyCheck {
    private static final String SAMPLE = "tollgate";
    private static final String BOUND_TO = "vault-check";

    /**
     * Secrets a database may hold from before the check existed (V49), each with the associated data it was sealed
     * with: the first key to record the check must open them too. A license's key (bound to the license's id), a
     * tenant's signing key (to the tenant's id), a kept answer (to tenant and key).
     */
    private static final List<String> EARLIER_SECRETS = List.of(
            "select key_sealed, id from licenses limit 1",
            "select private_sealed, tenant_id from license_signing_keys limit 1",
            "select body, tenant_id || '/' || idem_key from idempotency_keys where body is not null limit 1");

    private KeyCheck() {}

    /** Records the key's check on a database that has none; refuses a key the recorded check does not open with. */
    public static void verify(Database db, Vault vault) {
        db.tx(tx -> {
            Optional<byte[]> recorded = recorded(tx);
            if (recorded.isEmpty()) {
                for (String sql : EARLIER_SECRETS) {
                    var row = tx.fetchOptional(sql);
                    if (row.isPresent() && !opens(vault, row.get().get(0, byte[].class), row.get().get(1, String.class))) throw wrongKey();
                }
                // Several nodes may start at once: one row wins, and each opens the one that won.
                tx.execute("insert into vault_check (id, sealed) values (1, ?) on conflict do nothing", (Object) vault.sealText(SAMPLE, BOUND_TO));
                recorded = recorded(tx);
            }
            if (!opens(vault, recorded.orElseThrow(), BOUND_TO)) throw wrongKey();
            return null;
        });
    }

    private static Optional<byte[]> recorded(DSLContext tx) {
        return tx.fetchOptional("select sealed from vault_check where id = 1").map(r -> r.get(0, byte[].class));
    }

    private static boolean opens(Vault vault, byte[] sealed, String associatedData) {
        try {
            vault.open(sealed, associatedData);
            return true;
        } catch (IllegalStateException wrongKey) {
            return false;
        }
    }

    private static IllegalStateException wrongKey() {
        return new IllegalStateException("the encryption key is not the one this database's secrets were sealed with: start with "
                + "that key (TOLLGATE_ENCRYPTION_KEY, or the data directory's encryption.key, replacing one this start may have made). "
                + "With another, license keys, signing keys and webhook secrets cannot be read.");
    }
}
