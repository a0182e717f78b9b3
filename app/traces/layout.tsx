import type { ReactNode } from "react";
import "../../components/run/run.css";
import "./traces.css";

export default function TracesLayout({ children }: { children: ReactNode }) {
  return children;
}
