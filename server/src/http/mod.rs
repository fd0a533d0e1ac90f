//! HTTP plumbing shared by every route: the JSON body extractor, request ids, ETags and
//! paging.

pub mod etag;
pub mod json;
pub mod page;
pub mod request_id;

pub use etag::{ETag, IfMatch};
pub use json::JsonBody;
