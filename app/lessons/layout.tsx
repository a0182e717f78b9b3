import type { ReactNode } from "react";
import "./lessons.css";

export default function LessonsLayout({ children }: { children: ReactNode }) {
  return children;
}
