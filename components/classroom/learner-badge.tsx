"use client";
// In classroom mode, who this browser is in the class (the learner's name, or "Teacher"), beside the
// connection state; outside classroom mode it shows nothing.
import { useEffect, useState } from "react";
import { whoAmI, type WhoAmI } from "../../lib/client/classroom-call";

export function LearnerBadge() {
  const [me, setMe] = useState<WhoAmI>();
  useEffect(() => {
    let live = true;
    void whoAmI().then((answer) => live && setMe(answer));
    return () => {
      live = false;
    };
  }, []);
  if (me?.mode !== "classroom" || me.role === "visitor") return null;
  return (
    <span className="learner-badge" data-testid="learner-badge" title={me.role === "learner" ? "Your name in this class" : "Signed in with the teacher's token"}>
      {me.role === "learner" ? me.name : "Teacher"}
    </span>
  );
}
