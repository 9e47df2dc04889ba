-- CreateTable
CREATE TABLE "SeenSlackRequest" (
    "key" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SeenSlackRequest_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "SeenSlackRequest_expiresAt_idx" ON "SeenSlackRequest"("expiresAt");

