// The health probe of the Amazon SQS/SNS/EventBridge endpoint: moto's server from the local stack
// by default; LocalStack or AWS itself through AWS_ENDPOINT_URL. An SQS ListQueues in SQS's JSON
// protocol proves that SQS answers, not merely some web server on the port. Every wait ≤ 2 s.
import { z } from "zod";
import type { Config } from "../config";
import { httpRequest, reason, withoutCredentials, type ProbeResult } from "./probes";

type AwsProbeConfig = Pick<Config, "AWS_ENDPOINT_URL" | "AWS_REGION">;

/** Errors with which a real AWS endpoint refuses a request it cannot authenticate: it answers, as SQS. */
const AUTH_ERRORS = new Set([
  "MissingAuthenticationToken",
  "IncompleteSignature",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "AccessDenied",
  "AccessDeniedException",
]);

export type ListQueuesReply = { kind: "queues"; count: number } | { kind: "refused"; code: string };

const queuesSchema = z.object({ QueueUrls: z.array(z.string()).optional() });
const jsonErrorSchema = z.object({ __type: z.string().optional(), code: z.string().optional(), message: z.string().optional() });

/** An AWS error's code and message, from a JSON body (`__type`: "com.amazonaws.sqs#Code") or an XML one (`<Code>`). */
function awsError(body: string): { code?: string; message?: string } {
  try {
    const parsed = jsonErrorSchema.parse(JSON.parse(body));
    return { code: (parsed.__type ?? parsed.code)?.split("#").pop(), message: parsed.message };
  } catch {
    const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
    const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
    return { code, message };
  }
}

/** Reads the reply to ListQueues: the number of queues, a refusal to authenticate, or an error naming what came back. */
export function parseListQueuesReply(status: number, body: string): ListQueuesReply {
  if (status >= 200 && status < 300) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new Error(`HTTP ${status} but not an SQS reply (expected JSON, got ${JSON.stringify(body.slice(0, 60))})`);
    }
    const parsed = queuesSchema.safeParse(json);
    if (!parsed.success) throw new Error(`HTTP ${status} but not an SQS ListQueues reply`);
    return { kind: "queues", count: parsed.data.QueueUrls?.length ?? 0 };
  }
  const { code, message } = awsError(body);
  if (code && AUTH_ERRORS.has(code)) return { kind: "refused", code };
  throw new Error(`HTTP ${status}${code ? ` ${code}` : ""}${message ? `: ${message}` : ""}`);
}

/** Emulators do not check signatures; the credential scope still tells them which region is meant. */
export function emulatorAuthorization(region: string, at = new Date()): string {
  const day = at.toISOString().slice(0, 10).replaceAll("-", "");
  return `AWS4-HMAC-SHA256 Credential=brokerlab/${day}/${region}/sqs/aws4_request, SignedHeaders=host, Signature=0`;
}

/**
 * moto's server has no version endpoint; the local stack's launcher names it in the Server
 * header ("Moto/5.2.5 Werkzeug/3.1.3"). Docker's image and other emulators do not: no version then.
 */
export function motoVersionFromServerHeader(header: string | null): string | undefined {
  return header ? /\bmoto\/(\d+\.\d+\.\d+\S*)/i.exec(header)?.[1] : undefined;
}

export async function probeMoto(config: AwsProbeConfig): Promise<ProbeResult> {
  const url = withoutCredentials(config.AWS_ENDPOINT_URL);
  try {
    const response = await httpRequest(`${url}/`, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.ListQueues", authorization: emulatorAuthorization(config.AWS_REGION) },
      body: "{}",
    });
    const version = motoVersionFromServerHeader(response.headers.get("server"));
    const reply = parseListQueuesReply(response.status, await response.text());
    const detail =
      reply.kind === "queues"
        ? `SQS ListQueues answered (${reply.count} queue${reply.count === 1 ? "" : "s"} in ${config.AWS_REGION})`
        : `SQS answers but refuses unsigned requests (${reply.code}); credentials are checked when a run uses it`;
    return { up: true, url, version, detail };
  } catch (error) {
    return { up: false, url, detail: `SQS ${url}: ${reason(error)}` };
  }
}
