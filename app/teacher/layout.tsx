import type { ReactNode } from "react";
import "./teacher.css";

export default function TeacherLayout({ children }: { children: ReactNode }) {
  return children;
}
