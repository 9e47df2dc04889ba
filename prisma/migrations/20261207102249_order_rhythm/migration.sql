-- AlterTable
ALTER TABLE "CustomerFigures" ADD COLUMN "firstOrderAt" DATETIME;
ALTER TABLE "CustomerFigures" ADD COLUMN "rhythmIntervalMs" BIGINT;
ALTER TABLE "CustomerFigures" ADD COLUMN "rhythmNextMs" BIGINT;

-- AlterTable
ALTER TABLE "CustomerCurrencyTotal" ADD COLUMN "firstOrderAt" DATETIME;

-- CreateTable
CREATE TABLE "AgendaPreference" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "timeOfDay" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AgendaDelivery" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "claimedBy" TEXT NOT NULL,
    "leaseUntil" DATETIME NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'claimed',
    "sentAt" DATETIME,
    "channel" TEXT,
    "messageTs" TEXT,
    "lastError" TEXT,
    "claimedAt" DATETIME,
    "checkFrom" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "SuggestionDismissal" (
    "leadId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "facts" TEXT NOT NULL,
    "dismissedBy" TEXT NOT NULL,
    "dismissedAt" DATETIME NOT NULL,

    PRIMARY KEY ("leadId", "kind")
);

-- CreateIndex
CREATE INDEX "AgendaDelivery_status_leaseUntil_idx" ON "AgendaDelivery"("status", "leaseUntil");

-- CreateIndex
CREATE UNIQUE INDEX "AgendaDelivery_userId_day_key" ON "AgendaDelivery"("userId", "day");

-- CreateIndex
CREATE INDEX "CustomerFigures_rhythmNextMs_idx" ON "CustomerFigures"("rhythmNextMs");

