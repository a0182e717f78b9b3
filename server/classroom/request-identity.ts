// Who sent an HTTP request, as the request handler's classroom check found it: for routes that need
// to know (the teacher's dashboard, the class list). A request the check never saw is nobody's.
import type { IncomingMessage } from "node:http";
import type { Classroom, ClassroomLearner, Identity } from "./classroom";

const seen = new WeakMap<IncomingMessage, { identity: Identity | undefined; classroom: Classroom }>();

export function rememberRequester(request: IncomingMessage, identity: Identity | undefined, classroom: Classroom): void {
  seen.set(request, { identity, classroom });
}

/** The teacher, a learner, or undefined (a visitor on a public path such as /join). */
export function requesterOf(request: IncomingMessage): Identity | undefined {
  return seen.get(request)?.identity;
}

/**
 * True for the teacher: in classroom mode a request with BROKERLAB_TOKEN (bearer header, ?token= or
 * the token cookie); outside classroom mode every request that passed the token check (there is no one else).
 */
export function isTeacher(request: IncomingMessage): boolean {
  return requesterOf(request)?.role === "teacher";
}

/** The class list with each learner's lesson progress; empty outside classroom mode. */
export function classroomLearners(request: IncomingMessage): Promise<ClassroomLearner[]> {
  return seen.get(request)?.classroom.learners() ?? Promise.resolve([]);
}

/** The classroom serving this request (mode, code, run ownership), for routes that need more than the above. */
export function classroomOf(request: IncomingMessage): Classroom | undefined {
  return seen.get(request)?.classroom;
}
