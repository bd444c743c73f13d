-- The provision request's organization_guid and space_guid (REQUIRED by OSB v2.17): a re-provision
-- of the same id for another organization or space is "different attributes", a 409.
ALTER TABLE sp_instance ADD COLUMN organization_guid VARCHAR(255);
ALTER TABLE sp_instance ADD COLUMN space_guid VARCHAR(255);
