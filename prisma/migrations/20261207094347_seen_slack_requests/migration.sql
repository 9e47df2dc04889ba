-- CreateTable
CREATE TABLE "SeenSlackRequest" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "SeenSlackRequest_expiresAt_idx" ON "SeenSlackRequest"("expiresAt");

