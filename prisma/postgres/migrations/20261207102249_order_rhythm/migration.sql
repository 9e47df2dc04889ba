-- AlterTable
ALTER TABLE "CustomerFigures" ADD COLUMN     "firstOrderAt" TIMESTAMP(3),
ADD COLUMN     "rhythmIntervalMs" BIGINT,
ADD COLUMN     "rhythmNextMs" BIGINT;

-- AlterTable
ALTER TABLE "CustomerCurrencyTotal" ADD COLUMN     "firstOrderAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "AgendaPreference" (
    "userId" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "timeOfDay" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AgendaPreference_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "AgendaDelivery" (
    "id" SERIAL NOT NULL,
    "userId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "claimedBy" TEXT NOT NULL,
    "leaseUntil" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'claimed',
    "sentAt" TIMESTAMP(3),
    "channel" TEXT,
    "messageTs" TEXT,
    "lastError" TEXT,
    "claimedAt" TIMESTAMP(3),
    "checkFrom" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgendaDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SuggestionDismissal" (
    "leadId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "facts" TEXT NOT NULL,
    "dismissedBy" TEXT NOT NULL,
    "dismissedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SuggestionDismissal_pkey" PRIMARY KEY ("leadId","kind")
);

-- CreateIndex
CREATE INDEX "AgendaDelivery_status_leaseUntil_idx" ON "AgendaDelivery"("status", "leaseUntil");

-- CreateIndex
CREATE UNIQUE INDEX "AgendaDelivery_userId_day_key" ON "AgendaDelivery"("userId", "day");

-- CreateIndex
CREATE INDEX "CustomerFigures_rhythmNextMs_idx" ON "CustomerFigures"("rhythmNextMs");

