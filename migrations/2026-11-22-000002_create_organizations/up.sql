CREATE TABLE organizations (
    id            uuid PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('school_board', 'school', 'network', 'provider')),
    name          text NOT NULL,
    kvk_number    text,
    provider_kind text,
    brin          text,
    board_number  text,
    -- A school's board, when known (the DUO register links them by bevoegd-gezagnummer).
    board_id      uuid REFERENCES organizations (id),
    sectors       text[] NOT NULL DEFAULT '{}',
    province      text,
    website       text,
    description   text,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    -- Bumped on every change; the ETag of the organisation.
    version       integer NOT NULL DEFAULT 1,
    CHECK (kind <> 'provider' OR (kvk_number IS NOT NULL AND provider_kind IS NOT NULL)),
    CHECK (kind <> 'school' OR brin IS NOT NULL),
    CHECK (kind <> 'school_board' OR board_number IS NOT NULL)
);
CREATE UNIQUE INDEX organizations_kvk_key ON organizations (kvk_number) WHERE kind = 'provider';
CREATE UNIQUE INDEX organizations_brin_key ON organizations (brin) WHERE kind = 'school';
CREATE UNIQUE INDEX organizations_board_number_key ON organizations (board_number) WHERE kind = 'school_board';

CREATE TABLE memberships (
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role            text NOT NULL CHECK (role IN ('teacher', 'school_leader', 'board_officer',
                                                  'coordinator', 'provider_admin', 'provider_editor')),
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX memberships_user_id_idx ON memberships (user_id);

CREATE TABLE invitations (
    id              uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    email           text NOT NULL,
    role            text NOT NULL,
    token_hash      bytea NOT NULL UNIQUE,
    invited_by      uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    accepted_at     timestamptz,
    accepted_by     uuid REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX invitations_organization_id_idx ON invitations (organization_id);

-- Schools and boards that belong to a network.
CREATE TABLE network_members (
    network_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    member_id       uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    added_by        uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (network_id, member_id)
);
CREATE INDEX network_members_member_id_idx ON network_members (member_id);
