-- Provider profiles: where they work and how to reach them.
ALTER TABLE organizations
    ADD COLUMN regions       text[] NOT NULL DEFAULT '{}',
    ADD COLUMN contact_email text,
    ADD COLUMN contact_phone text,
    -- Schools and boards from DUO's register.
    ADD COLUMN denomination  text,
    ADD COLUMN city          text;

-- A school (instelling, by BRIN) has one or more locations (vestigingen).
CREATE TABLE school_locations (
    id            uuid PRIMARY KEY,
    school_id     uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    -- The two-digit vestigingscode; with the BRIN it names the location (12AB00).
    location_code text NOT NULL,
    name          text NOT NULL,
    street        text,
    house_number  text,
    postcode      text,
    city          text,
    municipality  text,
    province      text,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    UNIQUE (school_id, location_code)
);
