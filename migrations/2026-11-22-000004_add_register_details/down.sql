DROP TABLE school_locations;
ALTER TABLE organizations
    DROP COLUMN regions,
    DROP COLUMN contact_email,
    DROP COLUMN contact_phone,
    DROP COLUMN denomination,
    DROP COLUMN city;
