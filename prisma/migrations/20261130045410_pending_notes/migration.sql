-- CreateTable
CREATE TABLE "PendingNote" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "authorId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "leadId" INTEGER
);

-- CreateIndex
CREATE INDEX "PendingNote_expiresAt_idx" ON "PendingNote"("expiresAt");

