export * from "./schema";
export * from "./validate";
export * from "./template";
export { parseDuration } from "./duration";
