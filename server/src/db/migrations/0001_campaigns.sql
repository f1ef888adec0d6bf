CREATE TYPE "public"."campaign_type" AS ENUM('ASSESSMENT', 'PROFILES_COLLECTION');--> statement-breakpoint
CREATE TYPE "public"."external_id_type" AS ENUM('STRING', 'EMAIL');--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"title" text,
	"type" "campaign_type" NOT NULL,
	"target_profile_id" text,
	"owner_id" uuid NOT NULL,
	"creator_id" uuid NOT NULL,
	"multiple_sendings" boolean DEFAULT false NOT NULL,
	"external_id_label" text,
	"external_id_type" "external_id_type",
	"custom_landing_page_text" text,
	"custom_result_page_text" text,
	"custom_result_page_button_text" text,
	"custom_result_page_button_url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone,
	"archived_by" uuid,
	"deleted_at" timestamp with time zone,
	"deleted_by" uuid,
	CONSTRAINT "campaigns_target_profile_by_type" CHECK (("campaigns"."type" = 'ASSESSMENT') = ("campaigns"."target_profile_id" IS NOT NULL)),
	CONSTRAINT "campaigns_external_id_pair" CHECK (("campaigns"."external_id_label" IS NULL) = ("campaigns"."external_id_type" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_creator_id_users_id_fk" FOREIGN KEY ("creator_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_archived_by_users_id_fk" FOREIGN KEY ("archived_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_deleted_by_users_id_fk" FOREIGN KEY ("deleted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "campaigns_code_unique" ON "campaigns" USING btree ("code");--> statement-breakpoint
CREATE INDEX "campaigns_organization_idx" ON "campaigns" USING btree ("organization_id","created_at");