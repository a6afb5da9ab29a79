package tollgate.core;

/**
 * Whether the encryption key is the one the database's secrets were sealed with (decision 079): one value sealed with
 * the first key a database met, opened again at every start. Another key would seal new secrets that the old key cannot
 * open, while every old one stays unreadable; a start with it is refused before it seals anything.
 */
public final class KeyCheck {
    private static final String SAMPLE = "tollgate";
    private static final String BOUND_TO = "vault-check";

    private KeyCheck() {}

    /** Records the key's check on a database that has none; refuses a key the recorded check does not open with. */
    public static void verify(Database db, Vault vault) {
        db.tx(tx -> {
            tx.execute("insert into vault_check (id, sealed) values (1, ?) on conflict do nothing", (Object) vault.sealText(SAMPLE, BOUND_TO));
            byte[] sealed = tx.fetchOne("select sealed from vault_check where id = 1").get(0, byte[].class);
            String opened;
            try {
                opened = vault.openText(sealed, BOUND_TO);
            } catch (IllegalStateException wrongKey) {
                opened = null;
            }
            if (!SAMPLE.equals(opened)) throw new IllegalStateException("the encryption key is not the one this database's secrets were "
                    + "sealed with: start with that key (TOLLGATE_ENCRYPTION_KEY, or the data directory's encryption.key, replacing one "
                    + "this start may have made). With another, license keys, signing keys and webhook secrets cannot be read.");
            return null;
        });
    }
}
