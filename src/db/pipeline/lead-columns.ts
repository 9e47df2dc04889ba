import { Prisma } from '../../generated/sqlite/client';

/** The columns a pipeline page reads of `"Lead" l` and `"CustomerFigures" c`. */
export const LEAD_COLUMNS =
  Prisma.raw(`l."id", l."customerId", l."stage", l."ownerId", l."lastTouchAt", c."name", c."company", c."markets",
  c."lifetimeUsdCents", c."unknownCurrencies", c."lastOrderAt", c."rateDate"`);
