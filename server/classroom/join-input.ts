// What a learner types to join a class: the join code (checked in constant time, forgiving of case,
// spaces and dashes) and a display name (1-40 characters, no control or invisible formatting characters).
import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import { z } from "zod";

// No 0/O, 1/I/L: a code read aloud or from a projector is typed right the first time.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/** A readable code such as "K7PM-4QXD" (31^8 possibilities; joins are rate-limited per address). */
export function newClassCode(): string {
  const chars = Array.from({ length: 8 }, () => codeAlphabet[randomInt(codeAlphabet.length)]);
  return `${chars.slice(0, 4).join("")}-${chars.slice(4).join("")}`;
}

const normalizedCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, "");
const digest = (value: string) => createHash("sha256").update(value).digest();

export function codeMatches(presented: unknown, expected: string): boolean {
  if (typeof presented !== "string" || presented.length > 100) return false;
  return timingSafeEqual(digest(normalizedCode(presented)), digest(normalizedCode(expected)));
}

export const maxNameLength = 40;

// Control characters, and format characters (zero-width, right-to-left overrides) that would let one
// name pass for another on the teacher's screen.
const hiddenCharacters = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

export const displayNameSchema = z
  .string({ error: "is missing: type the name your class knows you by" })
  .transform((name) => name.trim().replace(/\s+/g, " "))
  .pipe(
    z
      .string()
      .min(1, "is empty: type the name your class knows you by")
      .max(maxNameLength, `is longer than ${maxNameLength} characters; use a shorter one`)
      .refine((name) => !hiddenCharacters.test(name), "contains control or invisible characters; use letters, digits, spaces and punctuation"),
  );

export const joinBodySchema = z.object({ code: z.unknown(), name: z.unknown() });
