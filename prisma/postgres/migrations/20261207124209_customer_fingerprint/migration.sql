-- AlterTable
ALTER TABLE "CustomerFigures" ADD COLUMN     "fingerprint" TEXT NOT NULL DEFAULT '';

