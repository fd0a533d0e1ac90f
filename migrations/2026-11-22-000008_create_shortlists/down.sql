DROP TABLE shortlist_items;
DROP TABLE shortlists;
