-- CreateTable
CREATE TABLE "BackupRun" (
    "id" SERIAL NOT NULL,
    "periodKey" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "status" TEXT NOT NULL DEFAULT 'running',
    "fileName" TEXT,
    "tableCounts" TEXT,
    "error" TEXT,

    CONSTRAINT "BackupRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BackupRun_periodKey_key" ON "BackupRun"("periodKey");

-- CreateIndex
CREATE INDEX "BackupRun_status_finishedAt_idx" ON "BackupRun"("status", "finishedAt");

