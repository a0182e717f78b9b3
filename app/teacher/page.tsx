import type { Metadata } from "next";
import { SiteHeader } from "../../components/site-header";
import { TeacherDashboard } from "../../components/teacher/teacher-dashboard";

export const metadata: Metadata = { title: "Teacher · Brokerlab", description: "The class at a glance: every learner's steps, who is stuck, how the class predicted, drills and a CSV export." };

export default function TeacherPage() {
  return (
    <>
      <SiteHeader section="teacher" />
      <TeacherDashboard />
    </>
  );
}
