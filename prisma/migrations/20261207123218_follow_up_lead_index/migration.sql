-- CreateIndex
CREATE INDEX "FollowUpAlert_leadId_idx" ON "FollowUpAlert"("leadId");

