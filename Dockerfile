# syntax=docker/dockerfile:1
# Build stage: install everything, generate the Prisma clients, type-check and build, then drop
# the development dependencies (TypeScript, tsx, the Prisma CLI and @prisma/client: the
# generated clients carry the runtime files they load). .dockerignore keeps local builds,
# node_modules, data and .env out of the context.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY prisma ./prisma
COPY prisma.config.ts ./
COPY scripts ./scripts
RUN npm run generate
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# Runtime stage: compiled code (with the generated clients), production dependencies and the
# migrations only. test/e2e/runtime-image.test.ts starts the same file set.
FROM node:20-bookworm-slim AS runtime
# One malloc arena: memory freed by worker threads goes back to the one pool instead of
# staying in arenas of their own (docs/deployment.md).
ENV NODE_ENV=production \
    DATABASE_URL=file:/data/crm.db \
    PORT=3000 \
    MALLOC_ARENA_MAX=1
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma/migrations ./prisma/migrations
COPY --from=build /app/prisma/postgres/migrations ./prisma/postgres/migrations
# The doctor (node dist/doctor/doctor-cli.js) compares the token's scopes with the manifest's.
COPY manifest.yml ./
# Owner-only: the database and its backups hold customer e-mails and phones.
RUN mkdir -p /data && chown node:node /data && chmod 700 /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# The app applies pending migrations itself at start, then serves.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--max-semi-space-size=1", "--max-old-space-size=160", "dist/index.js"]
