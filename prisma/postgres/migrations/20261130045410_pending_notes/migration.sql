-- CreateTable
CREATE TABLE "PendingNote" (
    "id" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "leadId" INTEGER,

    CONSTRAINT "PendingNote_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PendingNote_expiresAt_idx" ON "PendingNote"("expiresAt");

