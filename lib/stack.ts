// The stack as the browser sees it: the services Brokerlab runs on and their health.
// Shared by the server's health monitor and the home page; types only, no I/O.

export const serviceIds = ["rabbitmq", "kafka", "jaeger", "moto"] as const;
export type ServiceId = (typeof serviceIds)[number];

export const serviceNames: Record<ServiceId, string> = {
  rabbitmq: "RabbitMQ",
  kafka: "Kafka",
  jaeger: "Jaeger",
  moto: "Amazon SQS/SNS (moto)",
};

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
