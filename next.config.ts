import type { NextConfig } from "next";

// The app is served by Brokerlab's own server (server/index.ts); Next only renders pages.
const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm test` type-checks the whole repository with tsc; the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ["amqplib", "kafkajs", "@opentelemetry/sdk-node"],
};

export default nextConfig;
