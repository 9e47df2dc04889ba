-- AlterTable
ALTER TABLE "AlertDelivery" ADD COLUMN     "checkFrom" TIMESTAMP(3),
ADD COLUMN     "claimedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "DigestRun" ADD COLUMN     "checkFrom" TIMESTAMP(3),
ADD COLUMN     "claimedAt" TIMESTAMP(3);

