-- CreateTable
CREATE TABLE "BackupRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "periodKey" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'running',
    "fileName" TEXT,
    "tableCounts" TEXT,
    "error" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "BackupRun_periodKey_key" ON "BackupRun"("periodKey");

-- CreateIndex
CREATE INDEX "BackupRun_status_finishedAt_idx" ON "BackupRun"("status", "finishedAt");

