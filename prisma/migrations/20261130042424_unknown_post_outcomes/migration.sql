-- AlterTable
ALTER TABLE "AlertDelivery" ADD COLUMN "checkFrom" DATETIME;
ALTER TABLE "AlertDelivery" ADD COLUMN "claimedAt" DATETIME;

-- AlterTable
ALTER TABLE "DigestRun" ADD COLUMN "checkFrom" DATETIME;
ALTER TABLE "DigestRun" ADD COLUMN "claimedAt" DATETIME;

