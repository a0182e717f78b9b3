// Amazon SQS, SNS and EventBridge as a broker driver: one HTTP endpoint and a region per broker (moto
// or LocalStack locally, AWS itself over https). A plain-HTTP endpoint can go through the link proxy.
import { z } from "zod";
import { awsDescriptor } from "../../../lib/brokers/aws";
import { isLocalUrl } from "../../health/local-endpoints";
import { probeMoto } from "../../health/moto-probe";
import { withoutCredentials, type BrokerDefaults, type BrokerDriver, type BrokerEndpoint, type ResolvedBrokerOf, type ScenarioBrokerOf } from "../driver";
import { createAwsAdmin } from "./admin";
import { awsDriverAdmin, awsUsedResources } from "./driver-admin";

const endpointOf = (field: string, value: string): BrokerEndpoint => ({ field, value, form: "url" });

function resolveAws(entry: ScenarioBrokerOf<"aws">, defaults: BrokerDefaults): ResolvedBrokerOf<"aws"> {
  const endpoint = entry.endpoint ?? defaults.awsEndpoint;
  const region = entry.region ?? defaults.awsRegion;
  if (!endpoint || !region) throw new Error("No AWS endpoint is configured: set AWS_ENDPOINT_URL and AWS_REGION, or give the aws broker entry an endpoint and a region");
  return { kind: "aws", endpoint, region };
}

const names = z.array(z.string()).default([]);
/** What a run created (CreatedAws, with the ARNs deletes need); each list may be absent in a manifest written mid-apply. */
const awsManifestEntry = z.object({
  kind: z.literal("aws"),
  endpoint: z.string(),
  region: z.string(),
  created: z.object({
    queues: names,
    topics: z.array(z.object({ name: z.string(), arn: z.string() })).default([]),
    subscriptions: z.array(z.object({ topic: z.string(), queue: z.string(), arn: z.string() })).default([]),
    buses: names,
    rules: z.array(z.object({ name: z.string(), bus: z.string() })).default([]),
  }),
});

export const awsDriver: BrokerDriver<ResolvedBrokerOf<"aws">, ScenarioBrokerOf<"aws">, typeof awsManifestEntry> = {
  kind: "aws",
  resolve: resolveAws,
  configuredEndpoints: (defaults) => (defaults.awsEndpoint ? [endpointOf("endpoint", defaults.awsEndpoint)] : []),
  entryEndpoints: (entry) => (entry.endpoint ? [endpointOf("endpoint", entry.endpoint)] : []),
  endpoints: (broker) => [endpointOf("endpoint", broker.endpoint)],
  where: (broker) => `${new URL(broker.endpoint).host} (${broker.region})`,
  claimAddress: (broker) => `aws ${withoutCredentials(broker.endpoint)} ${broker.region}`,
  stackEnv: (broker) => ({ AWS_ENDPOINT_URL: broker.endpoint, AWS_REGION: broker.region }),
  stackService: awsDescriptor.stackService,
  forgetsOnRestart: true,
  manifestEndpoints: (broker) => ({ endpoint: withoutCredentials(broker.endpoint), region: broker.region }),
  manifestEntry: awsManifestEntry,
  fromManifest: (endpoints) => ({ kind: "aws", endpoint: String(endpoints.endpoint), region: String(endpoints.region) }),
  usedResources: awsUsedResources,
  probe: (config) => probeMoto(config),
  customEndpoints: (config) => (isLocalUrl(config.AWS_ENDPOINT_URL, "4566") ? [] : [{ name: "AWS_ENDPOINT_URL", value: config.AWS_ENDPOINT_URL }]),
  createAdmin: (broker, factories) => awsDriverAdmin((factories.createAwsAdmin ?? createAwsAdmin)({ endpoint: broker.endpoint, region: broker.region })),
  linkProxy(broker) {
    const url = new URL(broker.endpoint);
    // Over https the proxy would break the certificate's host check (and real AWS is https): not proxied.
    if (url.protocol !== "http:") return Promise.resolve(undefined);
    return Promise.resolve({
      targets: [{ host: url.hostname.replace(/^\[|\]$/g, ""), port: url.port ? Number(url.port) : 80 }],
      through: ([proxy]) => ({ ...broker, endpoint: `http://127.0.0.1:${proxy!.port}` }),
    });
  },
};
