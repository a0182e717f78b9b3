// Lint rules, including the import direction of DESIGN.md §3:
// app → components → lib, server → lib, stack → server → lib (the stack command reuses server/health/probes); lib imports neither; the browser never imports server/.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const restrict = (patterns, message) => ({
  "no-restricted-imports": ["error", { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  { ignores: ["node_modules/**", ".next/**", ".stack/**", "next-env.d.ts", "test-results/**", "playwright-report/**", "bench/results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "off",
    },
  },
  { files: ["lib/**"], rules: restrict(["**/server/**", "**/components/**", "**/app/**", "**/stack/**", "amqplib", "kafkajs", "node:*", "fs", "child_process", "net"], "lib/ does no I/O and imports no other layer.") },
  { files: ["components/**", "app/**", "lib/client/**"], rules: restrict(["**/server/**", "**/stack/**", "amqplib", "kafkajs"], "The browser side never imports server code or broker clients.") },
  { files: ["server/**", "stack/**", "tests/**", "bench/**", "scripts/**"], ignores: ["server/brokers/**", "bench/bare/**"], rules: restrict(["amqplib", "amqplib/*", "kafkajs"], "Only server/brokers/ imports amqplib and kafkajs.") },
);
