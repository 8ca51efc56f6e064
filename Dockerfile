# cqrs-slo image (docker-compose.yml runs it twice: `run`, the service, and `workload`, the live workload).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY config ./config
COPY assets ./assets
USER node
EXPOSE 9464
ENTRYPOINT ["/app/bin/cqrs-slo.js"]
CMD ["run", "--config", "config/default.yaml"]
