DROP TABLE bundle_events;
DROP TABLE bundle_participants;
DROP TABLE bundles;
