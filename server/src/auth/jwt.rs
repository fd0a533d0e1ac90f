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

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
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

impl JwtKeys {
    pub fn new(config: &JwtConfig) -> Self {
        let secret = config.secret.expose().as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&config.issuer]);
        validation.set_audience(&[&config.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // Expiry is checked against our clock in `decode`, so tests can move time.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
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
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    pub fn decode(&self, token: &str, now: DateTime<Utc>) -> Result<Claims, TokenError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
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
}
