import type { Metadata } from "next";
import "@xyflow/react/dist/style.css";
import "./lab.css";
import { LabPage } from "../../components/lab/lab-page";

export const metadata: Metadata = {
  title: "Lab · Brokerlab",
  description: "Build a messaging topology, run it on real RabbitMQ and Kafka, and watch every message and its trace.",
};

export default function Lab() {
  return <LabPage />;
}
