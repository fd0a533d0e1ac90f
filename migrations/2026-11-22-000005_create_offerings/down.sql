DROP TABLE offering_revisions;
DROP TABLE offerings;
