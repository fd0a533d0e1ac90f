//! Access tokens: HS256 JWTs, the algorithm pinned, issuer and audience checked, expiry checked
//! against the injectable clock (not the library's system time), and bound to a session so
//! logout and refresh-token reuse end them before they expire.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::config::JwtConfig;
use crate::domain::{SessionId, UserId};

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: UserId,
    /// The session the token belongs to.
    pub sid: SessionId,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
}

/// The keys tokens are signed and checked with. New tokens are signed with the current secret
/// and name it in their header's `kid`; tokens naming a previous secret are still accepted, so
/// a rotation logs nobody out (RUNBOOK.md, "Rotating the JWT secret").
#[derive(Clone)]
pub struct JwtKeys {
    kid: String,
    encoding: EncodingKey,
    /// Every accepted key by its `kid`, the current one first.
    decoding: Vec<(String, DecodingKey)>,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl: chrono::Duration,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the token is malformed, badly signed or not meant for this service")]
    Invalid,
    #[error("the token has expired")]
    Expired,
}

/// The `kid` of a secret: a labelled hash, so the header names the key without revealing it
/// and every process derives the same name from the same secret with nothing more to configure.
pub fn key_id(secret: &str) -> String {
    crate::auth::token::hash(&format!("edumarkt jwt kid {secret}"))
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl JwtKeys {
    pub fn new(config: &JwtConfig) -> Self {
        let current = config.secret.expose();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&config.issuer]);
        validation.set_audience(&[&config.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // Expiry is checked against our clock in `decode`, so tests can move time.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        let decoding = std::iter::once(current)
            .chain(config.previous_secrets.iter().map(|s| s.expose()))
            .map(|secret| (key_id(secret), DecodingKey::from_secret(secret.as_bytes())))
            .collect();
        Self {
            kid: key_id(current),
            encoding: EncodingKey::from_secret(current.as_bytes()),
            decoding,
            validation,
            issuer: config.issuer.clone(),
            audience: config.audience.clone(),
            ttl: config.access_ttl,
        }
    }

    pub fn ttl(&self) -> chrono::Duration {
        self.ttl
    }

    pub fn issue(
        &self,
        user_id: UserId,
        session_id: SessionId,
        now: DateTime<Utc>,
    ) -> anyhow::Result<String> {
        let claims = Claims {
            sub: user_id,
            sid: session_id,
            iat: now.timestamp(),
            exp: (now + self.ttl).timestamp(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.kid.clone());
        Ok(jsonwebtoken::encode(&header, &claims, &self.encoding)?)
    }

    pub fn decode(&self, token: &str, now: DateTime<Utc>) -> Result<Claims, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Invalid)?;
        // A token without a `kid` was issued before tokens named their key: only the current
        // secret can have signed it (a rotation always came later).
        let key = match header.kid {
            None => self.decoding.first().map(|(_, key)| key),
            Some(kid) => self
                .decoding
                .iter()
                .find(|(id, _)| *id == kid)
                .map(|(_, key)| key),
        }
        .ok_or(TokenError::Invalid)?;
        let data = jsonwebtoken::decode::<Claims>(token, key, &self.validation)
            .map_err(|_| TokenError::Invalid)?;
        if data.claims.exp <= now.timestamp() {
            return Err(TokenError::Expired);
        }
        Ok(data.claims)
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    use super::*;
    use crate::config::Secret;

    fn config(secret: &str, audience: &str) -> JwtConfig {
        JwtConfig {
            secret: Secret::new(secret),
            previous_secrets: Vec::new(),
            issuer: "edumarkt".into(),
            audience: audience.into(),
            access_ttl: chrono::Duration::minutes(15),
            refresh_ttl: chrono::Duration::days(30),
        }
    }

    const SECRET: &str = "an-unguessable-secret-of-32-bytes!!";

    #[test]
    fn a_token_is_valid_until_it_expires() {
        let keys = JwtKeys::new(&config(SECRET, "edumarkt-api"));
        let now = Utc::now();
        let (user, session) = (UserId::generate(), SessionId::generate());
        let token = keys.issue(user, session, now).unwrap();
        let claims = keys
            .decode(&token, now + chrono::Duration::minutes(14))
            .unwrap();
        assert_eq!((claims.sub, claims.sid), (user, session));
        assert_eq!(
            keys.decode(&token, now + chrono::Duration::minutes(15))
                .unwrap_err(),
            TokenError::Expired
        );
    }

    #[test]
    fn tokens_for_another_audience_or_key_are_refused() {
        let now = Utc::now();
        let ours = JwtKeys::new(&config(SECRET, "edumarkt-api"));
        let other_audience = JwtKeys::new(&config(SECRET, "someone-else"));
        let other_key = JwtKeys::new(&config(
            "another-secret-that-is-32-bytes-long",
            "edumarkt-api",
        ));
        let (user, session) = (UserId::generate(), SessionId::generate());
        assert_eq!(
            ours.decode(&other_audience.issue(user, session, now).unwrap(), now)
                .unwrap_err(),
            TokenError::Invalid
        );
        assert_eq!(
            ours.decode(&other_key.issue(user, session, now).unwrap(), now)
                .unwrap_err(),
            TokenError::Invalid
        );
    }

    #[test]
    fn the_none_algorithm_is_refused() {
        let keys = JwtKeys::new(&config(SECRET, "edumarkt-api"));
        let now = Utc::now();
        let token = keys
            .issue(UserId::generate(), SessionId::generate(), now)
            .unwrap();
        let payload = token.split('.').nth(1).unwrap();
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        assert_eq!(
            keys.decode(&format!("{header}.{payload}."), now)
                .unwrap_err(),
            TokenError::Invalid
        );
    }

    #[test]
    fn after_a_rotation_tokens_of_the_previous_secret_are_accepted_until_it_is_dropped() {
        const NEW: &str = "the-next-secret-of-at-least-32-bytes";
        let now = Utc::now();
        let before = JwtKeys::new(&config(SECRET, "edumarkt-api"));
        let mut rotated = config(NEW, "edumarkt-api");
        rotated.previous_secrets = vec![Secret::new(SECRET)];
        let during = JwtKeys::new(&rotated);
        let after = JwtKeys::new(&config(NEW, "edumarkt-api"));
        let (user, session) = (UserId::generate(), SessionId::generate());
        let old = before.issue(user, session, now).unwrap();
        let new = during.issue(user, session, now).unwrap();
        assert_eq!(during.decode(&old, now).unwrap().sub, user);
        assert_eq!(after.decode(&new, now).unwrap().sub, user);
        assert_eq!(after.decode(&old, now).unwrap_err(), TokenError::Invalid);
        // The processes not yet restarted keep accepting what the restarted ones issue only
        // once they know the new secret: the runbook restarts them all before dropping any.
        assert_eq!(before.decode(&new, now).unwrap_err(), TokenError::Invalid);
        let kid = |token: &str| jsonwebtoken::decode_header(token).unwrap().kid.unwrap();
        assert_eq!(kid(&old), key_id(SECRET));
        assert_eq!(kid(&new), key_id(NEW));
        assert_ne!(key_id(SECRET), key_id(NEW));
        assert!(
            !kid(&new).contains(NEW),
            "the kid does not reveal the secret"
        );
    }

    #[test]
    fn a_token_naming_an_unknown_key_or_none_is_checked_against_the_right_one() {
        let now = Utc::now();
        let keys = JwtKeys::new(&config(SECRET, "edumarkt-api"));
        let (user, session) = (UserId::generate(), SessionId::generate());
        let claims = Claims {
            sub: user,
            sid: session,
            iat: now.timestamp(),
            exp: (now + chrono::Duration::minutes(5)).timestamp(),
            iss: "edumarkt".into(),
            aud: "edumarkt-api".into(),
        };
        let sign = |kid: Option<&str>| {
            let mut header = Header::new(Algorithm::HS256);
            header.kid = kid.map(str::to_owned);
            jsonwebtoken::encode(
                &header,
                &claims,
                &EncodingKey::from_secret(SECRET.as_bytes()),
            )
            .unwrap()
        };
        // Issued before tokens carried a kid: the current secret checks it.
        assert_eq!(keys.decode(&sign(None), now).unwrap().sub, user);
        assert_eq!(
            keys.decode(&sign(Some("0000000000000000")), now)
                .unwrap_err(),
            TokenError::Invalid
        );
    }
}
