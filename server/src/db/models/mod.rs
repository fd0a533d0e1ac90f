//! One module per entity: the row type, its insert and update forms, and the queries on it.

pub mod bundle;
pub mod bundle_question;
pub mod email_token;
pub mod insight;
pub mod interest_profile;
pub mod invitation;
pub mod membership;
pub mod network;
pub mod offer;
pub mod offering;
pub mod organization;
pub mod review;
pub mod review_aggregate;
pub mod review_follow_up;
pub mod review_report;
pub mod school_location;
pub mod session;
pub mod shortlist;
pub mod user;
