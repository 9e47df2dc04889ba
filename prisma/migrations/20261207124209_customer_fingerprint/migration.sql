-- AlterTable
-- (Written by hand: Prisma's diff copies the whole table into a new one; adding the column
-- in place keeps the rows, their triggers and the search index as they are.)
ALTER TABLE "CustomerFigures" ADD COLUMN "fingerprint" TEXT NOT NULL DEFAULT '';
