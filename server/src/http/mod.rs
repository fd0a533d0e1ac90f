//! HTTP plumbing shared by every route: the JSON body extractor, request ids, ETags, paging,
//! the checks and problem rendering at the edge, and embedded static assets.

pub mod assets;
pub mod client;
pub mod edge;
pub mod etag;
pub mod json;
pub mod page;
pub mod request_id;

pub use etag::{ETag, IfMatch};
pub use json::JsonBody;
