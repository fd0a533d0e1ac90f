//! What the service keeps of a client's address: only a keyed hash. The address is the one
//! the rate limits count (`X-Forwarded-For` only behind the trusted proxy), and the key is
//! derived from the server's secret with a label of its own, so the hash can be compared
//! (two reviews from one address) but not reversed by hashing every address, nor used as
//! anything the secret signs.

use std::net::IpAddr;

use actix_web::HttpRequest;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::auth::token;
use crate::config::Config;
use crate::routes::auth::client_address;

/// HMAC-SHA256 of the address under the key derived from `secret`, as 64 hex digits.
pub fn address_hash(secret: &str, address: IpAddr) -> String {
    let key = token::hash(&format!("edumarkt client address {secret}"));
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key)
        .expect("HMAC-SHA256 accepts keys of any length");
    mac.update(address.to_string().as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The keyed hash of the address this request came from.
pub fn client_hash(req: &HttpRequest, config: &Config) -> String {
    address_hash(
        config.jwt.secret.expose(),
        client_address(req, config.trust_forwarded_for),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_addresses_hash_alike_and_the_key_matters() {
        let a: IpAddr = "203.0.113.7".parse().unwrap();
        let b: IpAddr = "203.0.113.8".parse().unwrap();
        let hash = address_hash("secret-one", a);
        assert_eq!(hash.len(), 64);
        assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(hash, address_hash("secret-one", a));
        assert_ne!(hash, address_hash("secret-one", b));
        assert_ne!(hash, address_hash("secret-two", a));
        assert!(!hash.contains("203"));
    }
}
