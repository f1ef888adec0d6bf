ALTER TABLE "campaign_participations" ADD COLUMN "validated_skill_ids" text;--> statement-breakpoint
-- The validated skills of a share-time snapshot, as scoring's validatedSkillIds computes them from the KEs:
-- the latest KE of each skill (by createdAt, to the millisecond as JavaScript reads it; on a tie the later
-- element of the array wins), reset ones dropped, validated ones kept; in snapshot order, separated by spaces.
CREATE FUNCTION snapshot_validated_skill_ids(kes jsonb) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(string_agg(skill_id, ' ' ORDER BY i), '')
  FROM (
    SELECT DISTINCT ON (e->>'skillId') e->>'skillId' AS skill_id, e->>'status' AS status, i
    FROM jsonb_array_elements(CASE jsonb_typeof(kes) WHEN 'array' THEN kes ELSE '[]'::jsonb END) WITH ORDINALITY AS t(e, i)
    WHERE e->>'skillId' IS NOT NULL
    ORDER BY e->>'skillId',
             date_trunc('milliseconds', CASE jsonb_typeof(e->'createdAt')
               WHEN 'number' THEN to_timestamp((e->>'createdAt')::float8 / 1000)
               ELSE (e->>'createdAt')::timestamptz END) DESC NULLS LAST,
             i DESC
  ) latest
  WHERE status = 'validated'
$$;
--> statement-breakpoint
-- Every writer of a snapshot (sharing, the large seed, test factories, future ones) keeps the participation's
-- column right without knowing about it. A snapshot whose dates do not parse still inserts: its validated
-- statuses are kept without the latest-per-skill rule.
CREATE FUNCTION knowledge_element_snapshots_derive() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  validated text;
BEGIN
  BEGIN
    validated := snapshot_validated_skill_ids(NEW.knowledge_elements);
  EXCEPTION WHEN data_exception THEN
    validated := coalesce((
      SELECT string_agg(DISTINCT e->>'skillId', ' ')
      FROM jsonb_array_elements(CASE jsonb_typeof(NEW.knowledge_elements) WHEN 'array' THEN NEW.knowledge_elements ELSE '[]'::jsonb END) e
      WHERE e->>'status' = 'validated' AND e->>'skillId' IS NOT NULL), '');
  END;
  UPDATE campaign_participations SET validated_skill_ids = validated WHERE id = NEW.campaign_participation_id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Backfill the participations already shared.
UPDATE "campaign_participations" p SET "validated_skill_ids" = snapshot_validated_skill_ids(k."knowledge_elements")
FROM "knowledge_element_snapshots" k WHERE k."campaign_participation_id" = p."id";
--> statement-breakpoint
CREATE TRIGGER knowledge_element_snapshots_derive AFTER INSERT OR UPDATE OF knowledge_elements ON "knowledge_element_snapshots"
  FOR EACH ROW EXECUTE FUNCTION knowledge_element_snapshots_derive();
--> statement-breakpoint
-- ALWAYS: bulk loads that set session_replication_role = replica (scripts/seed-large.ts) fire it too.
ALTER TABLE "knowledge_element_snapshots" ENABLE ALWAYS TRIGGER knowledge_element_snapshots_derive;
