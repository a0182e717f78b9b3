// Classroom mode (BROKERLAB_MODE=classroom): who is asking (the teacher by BROKERLAB_TOKEN, a learner
// by the signed session cookie they got when joining), joining with the class code, the class list,
// and which runs a learner may touch. Outside classroom mode everyone past the token check is the
// operator ("teacher") and nothing here refuses anything.
import { randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { AppError } from "../../lib/errors";
import type { LearnerProgress } from "../../lib/lessons/progress";
import { readCookie, type TokenAuth } from "../http/auth";
import { codeMatches, displayNameSchema, newClassCode } from "./join-input";
import { createLearnerStore, type LearnerStore } from "./learner-store";
import { createRateLimiter } from "./rate-limit";
import { newSessionSecret, sessionCookie, sessionCookieName, sessionLifetimeMs, signSession, verifySession } from "./session";

export type BrokerlabMode = "lab" | "classroom";
export type Identity = { role: "teacher" } | { role: "learner"; learnerId: string; name: string };
export type Identified = { ok: true; identity: Identity } | { ok: false; message: string };

export interface ClassroomLearner {
  learnerId: string;
  name: string;
  joinedAt: number;
  lastSeenAt: number;
  /** Runs of this learner starting, running or stopping now. */
  activeRuns: number;
  /** The lesson progress store's record for this learner ({} before their first lesson). */
  progress: LearnerProgress;
}

export interface ClassroomOptions {
  mode: BrokerlabMode;
  /** The teacher's token (BROKERLAB_TOKEN); classroom mode refuses to start without one. */
  auth: TokenAuth;
  /** Where classroom.json lives (BROKERLAB_DATA_DIR); required in classroom mode. */
  dataDir?: string;
  classCode?: string;
  sessionSecret?: string;
  /** Ids of the runs that are active now (the engine's). */
  activeRunIds?: () => string[];
  progressOf?: (learnerId: string) => Promise<LearnerProgress>;
  now?: () => number;
  log?: (message: string) => void;
}

export interface JoinRequest {
  body: unknown;
  /** The client's address, for the per-address limit on attempts. */
  address: string;
  cookieHeader?: string;
  secure: boolean;
}

export interface Classroom {
  readonly mode: BrokerlabMode;
  /** The join code learners type (classroom mode only). */
  readonly code: string | undefined;
  /** Who sends these headers: the teacher token (bearer, ?token=, cookie, or `token` from a socket handshake) or a learner's session. */
  identify(headers: IncomingHttpHeaders, url: URL, handshakeToken?: unknown): Identified;
  join(request: JoinRequest): Promise<{ learnerId: string; name: string; setCookie: string }>;
  learners(): Promise<ClassroomLearner[]>;
  /** Records the learner who started a run as its owner (nothing for the teacher). */
  claimRun(identity: Identity, runId: string): Promise<void>;
  mayUseRun(identity: Identity, runId: string): boolean;
  /** Throws FORBIDDEN, naming what to do, when `identity` may not use the run. */
  assertRun(identity: Identity, runId: string): void;
  ownerOf(runId: string): string | undefined;
  /** The learner id lesson progress is read and written under: a learner's own, whatever the browser sent. */
  learnerIdFor(identity: Identity, asked: string): string;
  flush(): Promise<void>;
}

const teacher: Identity = { role: "teacher" };

const sessionMessages = {
  missing: "Join the class first: open /join and type the class code and your name.",
  invalid: "Your session is not valid here (it was made by another class or altered); join again at /join.",
  expired: "Your session has expired; join again at /join with the class code.",
};

/** Outside classroom mode: everyone is the operator, nothing is refused here. */
export function labClassroom(): Classroom {
  return {
    mode: "lab",
    code: undefined,
    identify: () => ({ ok: true, identity: teacher }),
    async join() {
      throw new AppError("NOT_FOUND", "This Brokerlab is not running a class; the teacher starts one with npm run classroom (BROKERLAB_MODE=classroom).");
    },
    learners: async () => [],
    claimRun: async () => {},
    mayUseRun: () => true,
    assertRun: () => {},
    ownerOf: () => undefined,
    learnerIdFor: (_identity, asked) => asked,
    flush: async () => {},
  };
}

export function createClassroom(options: ClassroomOptions): Classroom {
  if (options.mode === "lab") return labClassroom();
  const { auth } = options;
  if (!auth.required) throw new Error("Classroom mode needs the teacher's token: set BROKERLAB_TOKEN (16+ characters).");
  if (!options.dataDir) throw new Error("Classroom mode needs a data directory (BROKERLAB_DATA_DIR) to keep the class in.");
  const now = options.now ?? Date.now;
  const store: LearnerStore = createLearnerStore({ dataDir: options.dataDir, ...(options.log ? { log: options.log } : {}) });
  // A generated code and secret are kept with the class, so a restart keeps both the code on the
  // board and the learners' sessions; the environment's values win when given.
  const code = options.classCode ?? store.code ?? newClassCode();
  const secret = options.sessionSecret ?? store.secret ?? newSessionSecret();
  if (code !== store.code && !options.classCode) void store.keep({ code });
  if (secret !== store.secret && !options.sessionSecret) void store.keep({ secret });
  const attempts = createRateLimiter({ limit: 60, windowMs: 60_000, now });
  const wrongCodes = createRateLimiter({ limit: 10, windowMs: 60_000, now });

  function learnerOf(cookieHeader: string | undefined): { ok: true; learnerId: string } | { ok: false; message: string } {
    const checked = verifySession(readCookie(cookieHeader, sessionCookieName), secret, now());
    if (!checked.ok) return { ok: false, message: sessionMessages[checked.reason] };
    if (!store.get(checked.learnerId)) return { ok: false, message: sessionMessages.invalid };
    return { ok: true, learnerId: checked.learnerId };
  }

  const classroom: Classroom = {
    mode: "classroom",
    code,
    identify(headers, url, handshakeToken) {
      const token = typeof handshakeToken === "string" ? handshakeToken : auth.fromRequest(headers, url).token;
      if (token !== undefined && auth.accepts(token)) return { ok: true, identity: teacher };
      const session = learnerOf(headers.cookie);
      if (!session.ok) return session;
      store.seen(session.learnerId, now());
      return { ok: true, identity: { role: "learner", learnerId: session.learnerId, name: store.get(session.learnerId)!.name } };
    },
    async join({ body, address, cookieHeader, secure }) {
      const wait = attempts.hit(address) ?? wrongCodes.retryAfter(address);
      if (wait !== undefined) throw new AppError("LIMIT_REACHED", `Too many join attempts from this address; wait ${wait} s and try again.`);
      if (!body || typeof body !== "object" || Array.isArray(body)) throw new AppError("INVALID_INPUT", 'Send a JSON object: { "code": "<class code>", "name": "<your name>" }.');
      const { code: presented, name: given } = body as { code?: unknown; name?: unknown };
      if (!codeMatches(presented, code)) {
        wrongCodes.hit(address);
        const what = typeof presented === "string" && presented.trim() !== "" ? "That join code is wrong" : "The join code is missing";
        throw new AppError("FORBIDDEN", `${what}; type the code your teacher shows (for example K7PM-4QXD).`);
      }
      const name = displayNameSchema.safeParse(given);
      if (!name.success) {
        const message = name.error.issues[0]?.message ?? "is not a valid name";
        throw new AppError("INVALID_INPUT", `name ${message}.`, { problems: [{ path: "name", message }] });
      }
      // A learner who still holds a valid session keeps their id (and progress) and may change their name.
      const existing = learnerOf(cookieHeader);
      const learnerId = existing.ok ? existing.learnerId : randomBytes(12).toString("hex");
      const at = now();
      await store.put(learnerId, { name: name.data, joinedAt: store.get(learnerId)?.joinedAt ?? at, lastSeenAt: at });
      const setCookie = sessionCookie(signSession(learnerId, at + sessionLifetimeMs, secret), sessionLifetimeMs, secure);
      return { learnerId, name: name.data, setCookie };
    },
    async learners() {
      const active = new Set(options.activeRunIds?.() ?? []);
      return Promise.all(
        store.all().map(async (learner) => ({
          ...learner,
          activeRuns: store.runsOf(learner.learnerId).filter((runId) => active.has(runId)).length,
          progress: (await options.progressOf?.(learner.learnerId)) ?? {},
        })),
      );
    },
    async claimRun(identity, runId) {
      if (identity.role === "learner") await store.setOwner(runId, identity.learnerId);
    },
    mayUseRun: (identity, runId) => identity.role === "teacher" || store.ownerOf(runId) === identity.learnerId,
    assertRun(identity, runId) {
      if (classroom.mayUseRun(identity, runId)) return;
      throw new AppError("FORBIDDEN", `Run "${runId}" is not yours: in a class each learner may watch and change only the runs they started.`);
    },
    ownerOf: (runId) => store.ownerOf(runId),
    learnerIdFor: (identity, asked) => (identity.role === "learner" ? identity.learnerId : asked),
    flush: () => store.flush(),
  };
  return classroom;
}
