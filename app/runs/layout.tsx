import type { ReactNode } from "react";
import "../../components/run/run.css";
import "./runs.css";

export default function RunsLayout({ children }: { children: ReactNode }) {
  return children;
}
