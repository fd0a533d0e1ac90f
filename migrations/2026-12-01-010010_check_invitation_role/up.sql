-- Invitations name a role like memberships do; hold them to the same closed set, so a role
-- the server reads back is always one it knows (it refuses unknown ones rather than guess).
ALTER TABLE invitations
    ADD CONSTRAINT invitations_role_check CHECK (role IN ('teacher', 'school_leader', 'board_officer',
                                                          'coordinator', 'provider_admin', 'provider_editor'));
