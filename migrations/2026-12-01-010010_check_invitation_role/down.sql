ALTER TABLE invitations DROP CONSTRAINT invitations_role_check;
