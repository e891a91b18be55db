package io.loompush.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The key subscription tokens are checked with, and with it the one algorithm
 * a token may name: HS256 for a shared secret, RS256 for an RSA public key,
 * ES256 for an EC P-256 public key. Fixing the algorithm by the key is what
 * refuses {@code alg: none} and an HS256 token "signed" with a public key.
 *
 * @param algorithm the only {@code alg} accepted
 * @param verifier  checks a signature made with the key
 */
public record TokenKey(JWSAlgorithm algorithm, JWSVerifier verifier) {
    /** HS256 needs a key as long as its hash (RFC 7518 section 3.2); nimbus refuses shorter ones. */
    public static final int MIN_SECRET_BYTES = 32;
    /** Shorter RSA keys are breakable (NIST SP 800-131A). */
    public static final int MIN_RSA_BITS = 2048;

    /** @throws IllegalArgumentException when the secret is shorter than {@link #MIN_SECRET_BYTES} */
    public static TokenKey secret(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the secret must be at least " + MIN_SECRET_BYTES + " bytes (HS256)");
        }
        try {
            return new TokenKey(JWSAlgorithm.HS256, new MACVerifier(bytes));
        } catch (JOSEException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * @param pem a {@code -----BEGIN PUBLIC KEY-----} block (SubjectPublicKeyInfo), as
     *            {@code openssl pkey -pubout} writes it
     * @throws IllegalArgumentException when it is not an RSA key of {@link #MIN_RSA_BITS} bits or more,
     *                                  nor an EC P-256 key
     */
    public static TokenKey publicKey(String pem) {
        byte[] der = der(pem);
        var spec = new X509EncodedKeySpec(der);
        try {
            var key = KeyFactory.getInstance("RSA").generatePublic(spec);
            var rsa = (RSAPublicKey) key;
            if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                throw new IllegalArgumentException("an RSA key needs at least " + MIN_RSA_BITS + " bits");
            }
            return new TokenKey(JWSAlgorithm.RS256, new RSASSAVerifier(rsa));
        } catch (GeneralSecurityException notRsa) {
            return ecKey(spec);
        }
    }

    private static TokenKey ecKey(X509EncodedKeySpec spec) {
        ECPublicKey ec;
        try {
            ec = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(spec);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA or EC public key");
        }
        if (!Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
            throw new IllegalArgumentException("an EC key must be on the curve P-256 (ES256)");
        }
        try {
            return new TokenKey(JWSAlgorithm.ES256, new ECDSAVerifier(ec));
        } catch (JOSEException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static byte[] der(String pem) {
        String begin = "-----BEGIN PUBLIC KEY-----";
        String end = "-----END PUBLIC KEY-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("expected a PEM block '" + begin + "'");
        }
        String body = pem.substring(from + begin.length(), to);
        try {
            return Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM block is not base64");
        }
    }

    @Override
    public String toString() {
        // Never the secret, whatever a log line or an exception prints.
        return "TokenKey[" + algorithm + "]";
    }
}
