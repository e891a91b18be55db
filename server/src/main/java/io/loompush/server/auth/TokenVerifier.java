package io.loompush.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.Date;
import java.util.List;

/**
 * Checks a token's form, algorithm, signature and claims, but not the time:
 * a checked token is cached and compared with the clock on every use.
 * The cryptography is nimbus-jose-jwt's.
 */
final class TokenVerifier {
    private final TokenKey key;

    TokenVerifier(TokenKey key) {
        this.key = key;
    }

    /** @throws InvalidTokenException for anything but a well-formed token signed with the key */
    Token verify(String token) throws InvalidTokenException {
        if (!compactForm(token)) {
            throw new InvalidTokenException("not three base64url parts");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!canonical(jwt.getSignature())) {
                throw new InvalidTokenException("signature not in canonical base64url");
            }
            if (!key.algorithm().equals(jwt.getHeader().getAlgorithm())) {
                throw new InvalidTokenException("algorithm " + jwt.getHeader().getAlgorithm());
            }
            if (!jwt.verify(key.verifier())) {
                throw new InvalidTokenException("bad signature");
            }
            return claims(jwt.getJWTClaimsSet());
        } catch (ParseException | JOSEException | RuntimeException e) {
            // The token is anyone's input: whatever the library throws on it is a bad token, not a 500.
            throw new InvalidTokenException(e.toString());
        }
    }

    /**
     * Three parts of the base64url alphabet joined by two dots, nothing else.
     * nimbus's decoder skips what is not in the alphabet, so without this check
     * one token would have many spellings, each a cache entry of its own.
     */
    private static boolean compactForm(String token) {
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                dots++;
            } else if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return dots == 2;
    }

    /**
     * The signature's last character may carry bits the decoder drops; the
     * header and the payload are signed as written, but the signature is not,
     * so it must be spelt the one way its bytes encode.
     */
    private static boolean canonical(Base64URL signature) {
        return Base64URL.encode(signature.decode()).toString().equals(signature.toString());
    }

    private static Token claims(JWTClaimsSet claims) throws ParseException, InvalidTokenException {
        Date exp = claims.getExpirationTime();
        List<String> channels = claims.getStringListClaim("channels");
        if (exp == null || channels == null) {
            throw new InvalidTokenException(exp == null ? "no exp" : "no channels");
        }
        Date nbf = claims.getNotBeforeTime();
        return new Token(claims.getSubject(), exp.getTime(), nbf == null ? 0 : nbf.getTime(),
                ChannelPatterns.parse(channels));
    }
}
