// Classroom mode's public face for the rest of the server: build it, ask who sent a request, list the class.
export { createClassroom } from "./classroom";
export type { BrokerlabMode, Classroom, ClassroomLearner, ClassroomOptions, Identity } from "./classroom";
export { classroomLearners, classroomOf, isTeacher, requesterOf } from "./request-identity";
export { createClassroomApi } from "./classroom-api";
export { gateRequest } from "./http-gate";
