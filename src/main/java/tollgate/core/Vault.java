package tollgate.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption at rest with AES-256-GCM and the key from configuration. A sealed value is
 * {@code IV (12 bytes) || ciphertext || tag}; the associated data binds it to its row (e.g. the license id),
 * so a ciphertext copied onto another row does not open.
 */
public final class Vault {
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    public Vault(byte[] key) {
        if (key.length != 32) throw new IllegalArgumentException("the encryption key must be 32 bytes (256 bits)");
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    public byte[] seal(byte[] plain, String associatedData) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public byte[] open(byte[] sealed, String associatedData) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a sealed value does not open with this key (wrong TOLLGATE_ENCRYPTION_KEY?)", e);
        }
    }

    public byte[] sealText(String plain, String associatedData) {
        return seal(plain.getBytes(StandardCharsets.UTF_8), associatedData);
    }

    public String openText(byte[] sealed, String associatedData) {
        return new String(open(sealed, associatedData), StandardCharsets.UTF_8);
    }
}
