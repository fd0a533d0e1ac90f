//! Identity: password hashing, access tokens (JWT), opaque refresh and mail tokens, the
//! authenticated caller, and login throttling.

pub mod caller;
pub mod jwt;
pub mod password;
pub mod throttle;
pub mod token;

pub use caller::{Caller, MaybeCaller};
