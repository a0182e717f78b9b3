// The stack as the browser sees it: the services Brokerlab runs on and their health.
// Shared by the server's health monitor, the stack command and the home page; no I/O.
// The broker services come from the broker descriptors (a new broker's descriptor names its
// service), in the registry's order, then Jaeger.
import { brokerDescriptors, type BrokerServiceId } from "./brokers";

export type ServiceId = BrokerServiceId | "jaeger";

const jaeger = {
  stackService: "jaeger",
  stackServiceName: "Jaeger",
  stackServiceRole: "Receives every span over OTLP and answers trace queries.",
} as const;
const services = [...brokerDescriptors, jaeger].filter((d, i, all) => all.findIndex((o) => o.stackService === d.stackService) === i);

export const serviceIds: readonly ServiceId[] = services.map((d) => d.stackService);

export const serviceNames = Object.fromEntries(services.map((d) => [d.stackService, d.stackServiceName])) as Record<ServiceId, string>;

/** What each service is, in one line (the home page's cards). */
export const serviceRoles = Object.fromEntries(services.map((d) => [d.stackService, d.stackServiceRole])) as Record<ServiceId, string>;

/** A link to a service's own tool. `available: false` means there is nothing to open; `note` says why. */
export interface ServiceLink {
  label: string;
  url: string;
  available: boolean;
  note?: string;
}

/** What to do when a service is down: the exact command, and a hint when the endpoint is not the local stack. */
export interface ServiceFix {
  command: string;
  hint?: string;
}

export interface ServiceStatus {
  id: ServiceId;
  name: string;
  up: boolean;
  /** Where Brokerlab looks for the service, never with credentials. */
  url: string;
  version?: string;
  /** Why the service is down (or a note while it is up). */
  detail?: string;
  fix?: ServiceFix;
  links: ServiceLink[];
  /** ISO time of the check that produced this status. */
  checkedAt: string;
}

export interface StackStatus {
  services: Record<ServiceId, ServiceStatus>;
  checkedAt: string;
}

export function isStackUp(status: StackStatus): boolean {
  return serviceIds.every((id) => status.services[id].up);
}
