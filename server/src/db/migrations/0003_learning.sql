CREATE TYPE "public"."participation_status" AS ENUM('STARTED', 'TO_SHARE', 'SHARED');--> statement-breakpoint
CREATE TYPE "public"."answer_result" AS ENUM('ok', 'ko', 'skipped', 'timedout', 'focusedOut');--> statement-breakpoint
CREATE TYPE "public"."assessment_state" AS ENUM('started', 'completed', 'aborted');--> statement-breakpoint
CREATE TYPE "public"."assessment_type" AS ENUM('CAMPAIGN', 'COMPETENCE_EVALUATION');--> statement-breakpoint
CREATE TYPE "public"."knowledge_element_source" AS ENUM('direct', 'inferred');--> statement-breakpoint
CREATE TYPE "public"."knowledge_element_status" AS ENUM('validated', 'invalidated', 'reset');--> statement-breakpoint
CREATE TABLE "campaign_participations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"user_id" uuid,
	"organization_learner_id" uuid,
	"participant_external_id" text,
	"status" "participation_status" DEFAULT 'STARTED' NOT NULL,
	"is_improved" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"shared_at" timestamp with time zone,
	"mastery_rate" real,
	"validated_skills_count" integer,
	"pix_score" integer,
	"is_certifiable" boolean,
	"deleted_at" timestamp with time zone,
	"deleted_by" uuid
);
--> statement-breakpoint
CREATE TABLE "organization_learners" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"user_id" uuid,
	"first_name" text,
	"last_name" text,
	"birthdate" date,
	"student_number" text,
	"group" text,
	"source" text DEFAULT 'PARTICIPATION' NOT NULL,
	"is_disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "answers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"assessment_id" uuid NOT NULL,
	"challenge_id" text NOT NULL,
	"value" text NOT NULL,
	"result" "answer_result" NOT NULL,
	"result_details" jsonb,
	"time_spent_seconds" real,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"type" "assessment_type" NOT NULL,
	"campaign_participation_id" uuid,
	"competence_code" text,
	"state" "assessment_state" DEFAULT 'started' NOT NULL,
	"algorithm" text NOT NULL,
	"algorithm_config_version" integer NOT NULL,
	"algorithm_config" jsonb NOT NULL,
	"seed" integer NOT NULL,
	"content_version" text NOT NULL,
	"is_improving" boolean DEFAULT false NOT NULL,
	"current_challenge_id" text,
	"current_challenge_asked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "knowledge_element_snapshots" (
	"campaign_participation_id" uuid PRIMARY KEY NOT NULL,
	"snapshotted_at" timestamp with time zone NOT NULL,
	"knowledge_elements" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "knowledge_elements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"assessment_id" uuid,
	"answer_id" uuid,
	"skill_id" text NOT NULL,
	"competence_code" text NOT NULL,
	"status" "knowledge_element_status" NOT NULL,
	"source" "knowledge_element_source" NOT NULL,
	"earned_pix" real NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "saved_tutorials" (
	"user_id" uuid NOT NULL,
	"tutorial_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_tutorials_user_id_tutorial_id_pk" PRIMARY KEY("user_id","tutorial_id")
);
--> statement-breakpoint
ALTER TABLE "campaign_participations" ADD CONSTRAINT "campaign_participations_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_participations" ADD CONSTRAINT "campaign_participations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_participations" ADD CONSTRAINT "campaign_participations_organization_learner_id_organization_learners_id_fk" FOREIGN KEY ("organization_learner_id") REFERENCES "public"."organization_learners"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_participations" ADD CONSTRAINT "campaign_participations_deleted_by_users_id_fk" FOREIGN KEY ("deleted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_learners" ADD CONSTRAINT "organization_learners_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_learners" ADD CONSTRAINT "organization_learners_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_campaign_participation_id_campaign_participations_id_fk" FOREIGN KEY ("campaign_participation_id") REFERENCES "public"."campaign_participations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_element_snapshots" ADD CONSTRAINT "knowledge_element_snapshots_campaign_participation_id_campaign_participations_id_fk" FOREIGN KEY ("campaign_participation_id") REFERENCES "public"."campaign_participations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_elements" ADD CONSTRAINT "knowledge_elements_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_elements" ADD CONSTRAINT "knowledge_elements_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_elements" ADD CONSTRAINT "knowledge_elements_answer_id_answers_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."answers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_tutorials" ADD CONSTRAINT "saved_tutorials_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "participations_campaign_idx" ON "campaign_participations" USING btree ("campaign_id","status");--> statement-breakpoint
CREATE INDEX "participations_user_idx" ON "campaign_participations" USING btree ("user_id","campaign_id");--> statement-breakpoint
CREATE UNIQUE INDEX "participations_one_live_per_user" ON "campaign_participations" USING btree ("campaign_id","user_id") WHERE "campaign_participations"."is_improved" = false AND "campaign_participations"."deleted_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "organization_learners_user_unique" ON "organization_learners" USING btree ("organization_id","user_id") WHERE "organization_learners"."user_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "organization_learners_student_number_unique" ON "organization_learners" USING btree ("organization_id","student_number") WHERE "organization_learners"."student_number" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "answers_assessment_challenge_unique" ON "answers" USING btree ("assessment_id","challenge_id");--> statement-breakpoint
CREATE INDEX "answers_assessment_idx" ON "answers" USING btree ("assessment_id","created_at");--> statement-breakpoint
CREATE INDEX "assessments_participation_idx" ON "assessments" USING btree ("campaign_participation_id");--> statement-breakpoint
CREATE INDEX "assessments_user_idx" ON "assessments" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "knowledge_elements_user_idx" ON "knowledge_elements" USING btree ("user_id","skill_id","created_at");