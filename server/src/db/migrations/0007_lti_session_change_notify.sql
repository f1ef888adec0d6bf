-- Every Jalon process keeps live bearer sessions a few seconds in memory (server/src/lti/session-cache.ts) and
-- LISTENs on this channel (session-invalidation.ts): whatever changes or removes a live session row — a logout,
-- a cascade from a deleted user or launch, an operator ending or shortening it — tells them to forget it.
CREATE OR REPLACE FUNCTION lti_session_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.kind = 'bearer' AND OLD.expires_at > now() THEN
    PERFORM pg_notify('jalon_lti_session_changed', OLD.token_hash);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER lti_sessions_changed AFTER UPDATE OR DELETE ON lti_sessions FOR EACH ROW EXECUTE FUNCTION lti_session_changed();
