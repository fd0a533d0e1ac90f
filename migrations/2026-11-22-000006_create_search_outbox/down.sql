DROP VIEW search_offering_documents;
DROP TRIGGER search_outbox_notify ON search_outbox;
DROP FUNCTION search_outbox_notify();
DROP TRIGGER organizations_search_outbox ON organizations;
DROP FUNCTION search_outbox_provider_changed();
DROP TRIGGER offerings_search_outbox ON offerings;
DROP FUNCTION search_outbox_offering_changed();
DROP TABLE search_outbox;
