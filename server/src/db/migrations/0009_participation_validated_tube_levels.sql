-- validated_skill_ids (0006, 0008) per tube, for the Orga analysis: one `tube:mask` element per tube with a validated
-- skill, bit n of the mask set when `@<tube><n>` is among the ids. Skill ids are `@<tube><level>` with levels 1 to 8
-- (content schema), so the last character is the level and no referential is needed; other ids are left out (they
-- cannot be target skills). A stored generated column: PostgreSQL keeps it right on every write of
-- validated_skill_ids (the snapshot triggers, whoever writes the snapshot) and fills it for existing rows below.
CREATE FUNCTION skill_ids_tube_levels(ids text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(tube || ':' || mask), '{}')
  FROM (
    SELECT substr(id, 2, length(id) - 2) AS tube, bit_or(1 << (ascii(right(id, 1)) - 48)) AS mask
    FROM unnest(string_to_array(ids, ' ')) AS id
    WHERE left(id, 1) = '@' AND length(id) > 2 AND ascii(right(id, 1)) BETWEEN 49 AND 56
    GROUP BY 1
  ) t
$$;
--> statement-breakpoint
ALTER TABLE "campaign_participations" ADD COLUMN "validated_tube_levels" text[] GENERATED ALWAYS AS (skill_ids_tube_levels(validated_skill_ids)) STORED;
