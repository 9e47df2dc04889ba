-- DropIndex
DROP INDEX "FollowUpAlert_leadId_idx";

-- CreateIndex
CREATE INDEX "FollowUpAlert_leadId_active_nextDueAt_idx" ON "FollowUpAlert"("leadId", "active", "nextDueAt");

