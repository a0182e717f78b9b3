// The AWS SDK v3 clients of one Amazon endpoint (SQS, SNS, EventBridge), built in one place so the
// control plane's admin and the service processes' senders and subscribers sign the same way.
// An emulator (moto, LocalStack) accepts any key: it gets fixed dummy credentials, so a developer's
// own AWS profile is never read or sent to it. Real AWS uses the SDK's default credential chain.
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";

// The SDK warns once per process, on stderr, that its releases after January 2027 need Node 22.
// The lockfile pins the release Brokerlab runs, so in every run's output the warning is only noise
// (the README names the Node version Brokerlab needs). A value the user set is kept.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** Where the clients go: an endpoint URL (no credentials in it) and a region. */
export interface AwsEndpoint {
  endpoint: string;
  region: string;
}

export interface AwsClients {
  sqs: SQSClient;
  sns: SNSClient;
  events: EventBridgeClient;
  /** Closes the clients' sockets. */
  destroy(): void;
}

/** Real AWS is reached at *.amazonaws.com (or .com.cn); anything else is an emulator. */
export function isRealAws(endpoint: string): boolean {
  try {
    return /(^|\.)amazonaws\.com(\.cn)?$/i.test(new URL(endpoint).hostname);
  } catch {
    return false;
  }
}

const EMULATOR_CREDENTIALS = { accessKeyId: "brokerlab", secretAccessKey: "brokerlab" };

/** The options every client of the endpoint shares; `maxAttempts` 1 leaves retries to the caller (fault tests see failures). */
export function awsClientConfig(target: AwsEndpoint, options: { maxAttempts?: number } = {}) {
  const real = isRealAws(target.endpoint);
  return {
    region: target.region,
    // Against real AWS the regional default endpoints are right; an explicit one is kept only for emulators.
    ...(real ? {} : { endpoint: target.endpoint, credentials: EMULATOR_CREDENTIALS }),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  };
}

export function createSqsClient(target: AwsEndpoint, options: { maxAttempts?: number } = {}): SQSClient {
  // Requests go to the configured endpoint, not to the host in a queue URL: through a link proxy
  // the endpoint is the proxy, while queue URLs may name the emulator's own address.
  return new SQSClient({ ...awsClientConfig(target, options), useQueueUrlAsEndpoint: false });
}

export function createSnsClient(target: AwsEndpoint, options: { maxAttempts?: number } = {}): SNSClient {
  return new SNSClient(awsClientConfig(target, options));
}

export function createEventBridgeClient(target: AwsEndpoint, options: { maxAttempts?: number } = {}): EventBridgeClient {
  return new EventBridgeClient(awsClientConfig(target, options));
}

/** The three clients of one endpoint. */
export function createAwsClients(target: AwsEndpoint, options: { maxAttempts?: number } = {}): AwsClients {
  const sqs = createSqsClient(target, options);
  const sns = createSnsClient(target, options);
  const events = createEventBridgeClient(target, options);
  return {
    sqs,
    sns,
    events,
    destroy() {
      sqs.destroy();
      sns.destroy();
      events.destroy();
    },
  };
}
