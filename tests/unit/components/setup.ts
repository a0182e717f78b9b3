// A browser for component tests: jsdom as globals, and stylesheet imports (which Next.js bundles)
// loaded as nothing. Import this before any component.
import Module from "node:module";
import globalJsdom from "global-jsdom";

const extensions = (Module as unknown as { _extensions: Record<string, (module: { exports: unknown }) => void> })._extensions;
extensions[".css"] = (module) => {
  module.exports = {};
};

export const cleanupDom = globalJsdom(undefined, { url: process.env.COMPONENT_TEST_URL ?? "http://127.0.0.1/", pretendToBeVisual: true });
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
