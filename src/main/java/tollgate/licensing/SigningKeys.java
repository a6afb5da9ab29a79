package tollgate.licensing;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import org.jooq.DSLContext;
import org.jooq.Record;
import tollgate.core.Ids;
import tollgate.core.Vault;

/**
 * Each tenant's Ed25519 key for license certificates, made on first use. The private key is kept sealed
 * with the configured encryption key; the public key is published for sites to verify offline.
 */
public final class SigningKeys {
    /**
     * The published half: {@code public_key} is X.509 DER in base64, {@code public_key_pem} the same as PEM;
     * {@code key_id} ({@code lsk_…}) is what certificates name, and the API shows it as the key's {@code id} too.
     */
    public record PublicKey(String keyId, String algorithm, String publicKey, String publicKeyPem) {}

    private final Vault vault;

    public SigningKeys(Vault vault) {
        this.vault = vault;
    }

    public PublicKey publicKey(DSLContext tx, String tenantId, Instant now) {
        Record r = ensure(tx, tenantId, now);
        String b64 = Base64.getEncoder().encodeToString(r.get("public_key", byte[].class));
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(r.get("public_key", byte[].class))
                + "\n-----END PUBLIC KEY-----\n";
        String keyId = r.get("key_id", String.class);
        return new PublicKey(keyId, "Ed25519", b64, pem);
    }

    /** Signs {@code payload} with the tenant's key; answers the key id and the signature. */
    public String[] sign(DSLContext tx, String tenantId, byte[] payload, Instant now) {
        Record r = ensure(tx, tenantId, now);
        try {
            byte[] pkcs8 = vault.open(r.get("private_sealed", byte[].class), tenantId);
            PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(payload);
            return new String[] {r.get("key_id", String.class), Base64.getEncoder().encodeToString(signer.sign())};
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available", e);
        }
    }

    private Record ensure(DSLContext tx, String tenantId, Instant now) {
        Record r = find(tx, tenantId);
        if (r != null) return r;
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            tx.execute("insert into license_signing_keys (tenant_id, key_id, public_key, private_sealed, created_at) "
                            + "values (?, ?, ?, ?, ?) on conflict do nothing",
                    tenantId, Ids.next("lsk"), pair.getPublic().getEncoded(), vault.seal(pair.getPrivate().getEncoded(), tenantId), now);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available", e);
        }
        return find(tx, tenantId);
    }

    private static Record find(DSLContext tx, String tenantId) {
        return tx.fetchOne("select key_id, public_key, private_sealed from license_signing_keys where tenant_id = ?", tenantId);
    }
}
