DROP TABLE network_members;
DROP TABLE invitations;
DROP TABLE memberships;
DROP TABLE organizations;
