// The input form of a scenario service (defaults may be left out), for tests that launch one.
import type { z } from "zod";
import type { serviceSchema } from "../../lib/scenario/schema";

export type ServiceInput = z.input<typeof serviceSchema>;
