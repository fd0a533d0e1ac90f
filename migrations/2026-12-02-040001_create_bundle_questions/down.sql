DROP TABLE bundle_questions;
