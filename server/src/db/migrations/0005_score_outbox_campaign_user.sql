DROP INDEX "lti_score_outbox_campaign_idx";--> statement-breakpoint
CREATE INDEX "lti_score_outbox_campaign_user_idx" ON "lti_score_outbox" USING btree ("campaign_id","user_id","seq");