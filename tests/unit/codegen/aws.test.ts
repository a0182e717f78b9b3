// The Amazon SQS/SNS/EventBridge generators: every producer and consumer of the aws fixture parses
// in both languages, and carries the scenario's settings in the AWS SDK's and boto3's terms.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generatePython } from "../../../lib/codegen/python";
import { generateTypeScript } from "../../../lib/codegen/typescript";
import type { CodegenSelection } from "../../../lib/codegen/plan";
import { awsInput } from "./aws-fixtures";
import { pyShapes, tsShapes } from "./code-shape";
import { scenario } from "./fixtures";

const aws = scenario(awsInput());
const ts = (selection: Omit<CodegenSelection, "service">, service = "shop") => generateTypeScript(aws, { service, ...selection });
const python = (selection: Omit<CodegenSelection, "service">, service = "shop") => generatePython(aws, { service, ...selection });
const roles: [string, CodegenSelection][] = aws.services.flatMap((service) => [
  ...service.producers.map((p): [string, CodegenSelection] => [`${service.name}/${p.name}`, { service: service.name, producer: p.name }]),
  ...service.consumers.map((c): [string, CodegenSelection] => [`${service.name}/${c.name}`, { service: service.name, consumer: c.name }]),
]);

describe("generated Amazon SQS/SNS/EventBridge code", () => {
  it("parses in TypeScript and Python for every producer and consumer", () => {
    const tsProblems = tsShapes(roles.map(([, selection]) => generateTypeScript(aws, selection).source));
    const pyProblems = pyShapes(roles.map(([, selection]) => generatePython(aws, selection).source));
    roles.forEach(([label], i) => {
      assert.deepEqual(tsProblems[i]!.problems, [], `${label} (TypeScript)`);
      assert.deepEqual(pyProblems[i]!.problems, [], `${label} (Python)`);
    });
  });

  it("connects to AWS_ENDPOINT_URL in a region, with the SDK of the service it uses", () => {
    for (const [, selection] of roles) {
      const code = generateTypeScript(aws, selection);
      assert.match(code.source, /process\.env\.AWS_ENDPOINT_URL \?\? "http:\/\/127\.0\.0\.1:4566"/);
      assert.match(code.source, /process\.env\.AWS_REGION \?\? "us-east-1"/);
      assert.match(generatePython(aws, selection).source, /boto3\.client\("(sqs|sns|events)", endpoint_url=ENDPOINT, region_name=REGION/);
    }
    assert.equal(ts({ producer: "orders" }).library, "@aws-sdk/client-sqs");
    assert.equal(ts({ producer: "events" }).library, "@aws-sdk/client-sns");
    assert.equal(ts({ producer: "bus" }).library, "@aws-sdk/client-eventbridge");
    assert.equal(python({ producer: "bus" }).library, "boto3");
  });

  it("a FIFO queue producer sends with the templated group and deduplication ids, and the DLQ is created before its redrive", () => {
    const code = ts({ producer: "orders" }).source;
    assert.match(code, /MessageGroupId: String\(payload\["customer"\]\)/);
    assert.match(code, /MessageDeduplicationId: `order-\$\{seq\}`/);
    assert.match(code, /declareQueue\("orders-dlq\.fifo"[^\n]*\n[^\n]*declareQueue\("orders\.fifo", \{ "VisibilityTimeout": "45", "FifoQueue": "true"[^\n]*\{ "queue": "orders-dlq\.fifo", "maxReceiveCount": 3 \}/);
    const py = python({ producer: "orders" }).source;
    assert.match(py, /MessageGroupId=str\(payload\.get\("customer", ""\)\)/);
    assert.match(py, /MessageDeduplicationId="order-" \+ str\(seq\)/);
    assert.match(py, /"MessageRetentionPeriod": "120"/);
  });

  it("a standard queue producer has no FIFO ids, looks up an existing queue by name and never creates it", () => {
    const code = ts({ producer: "plain" }).source;
    assert.doesNotMatch(code, /MessageGroupId/);
    assert.doesNotMatch(code, /await declareQueue\(/);
    assert.match(code, /const url = await queueUrl\(queue\);/);
    assert.doesNotMatch(python({ producer: "plain" }).source, /MessageGroupId|^\s+declare_queue\(/m);
  });

  it("every SQS/SNS message carries Brokerlab's headers, a W3C traceparent and the scenario's attributes", () => {
    for (const generate of [ts, python]) {
      const code = generate({ producer: "events" }).source;
      for (const name of ["x-brokerlab-id", "x-brokerlab-sent-at", "x-brokerlab-attempt", "traceparent", "type", "region", "size"]) assert.ok(code.includes(`"${name}": `), `${name} in ${generate === ts ? "TypeScript" : "Python"}`);
      assert.match(code, /"DataType": "String"|DataType: "String"/);
    }
    assert.match(ts({ producer: "events" }).source, /CreateTopicCommand\(\{ Name: topic \}\)/);
    assert.match(ts({ producer: "log" }).source, /FifoTopic: "true"[\s\S]*MessageGroupId: "log"/);
    assert.match(ts({ producer: "legacy" }).source, /findTopicArn\(topic\)/);
    assert.match(python({ producer: "legacy" }).source, /find_topic_arn\(TOPIC\)/);
  });

  it("EventBridge events have the source and detail type, and the headers under detail._brokerlab", () => {
    const code = ts({ producer: "bus" }).source;
    assert.match(code, /Source: "shop",\n\s+DetailType: "OrderCreated",/);
    assert.match(code, /_brokerlab: \{[\s\S]*"tenant": "acme"/);
    assert.match(code, /CreateEventBusCommand/);
    assert.doesNotMatch(ts({ producer: "default-bus" }).source, /CreateEventBusCommand/);
    assert.match(python({ producer: "bus" }).source, /"_brokerlab": \{/);
  });

  it("the consumer long-polls with its concurrency, deletes after the work and retries through the visibility timeout", () => {
    const code = ts({ consumer: "fifo" }, "billing").source;
    assert.match(code, /const waitSeconds = 1;/);
    assert.match(code, /const concurrency = 5;/);
    assert.match(code, /WaitTimeSeconds: waitSeconds/);
    assert.ok(code.indexOf("await work(") < code.indexOf("DeleteMessageCommand({ QueueUrl: url", code.indexOf("await work(")), "delete after the work");
    assert.match(code, /ChangeMessageVisibilityCommand\(\{ QueueUrl: url, ReceiptHandle: message\.ReceiptHandle, VisibilityTimeout: Math\.round\(delayMs \/ 1000\) \}\)/);
    assert.match(code, /QueueUrl: await queueUrl\(deadLetterQueue\)[\s\S]*MessageGroupId/);
    const py = python({ consumer: "fifo" }, "billing").source;
    assert.match(py, /WaitTimeSeconds=WAIT_SECONDS/);
    assert.match(py, /threading\.Thread\(target=receive_loop, daemon=True\) for _ in range\(CONCURRENCY\)/);
    assert.match(py, /change_message_visibility\(QueueUrl=url, ReceiptHandle=message\["ReceiptHandle"\], VisibilityTimeout=round\(delay_ms \/ 1000\)\)/);
  });

  it("each failure policy takes its own path: requeue at once, drop, auto delete on receipt, no dead-letter queue", () => {
    assert.match(ts({ consumer: "requeue" }, "billing").source, /VisibilityTimeout: 0 \}\)\); \/\/ visible again at once/);
    assert.match(python({ consumer: "drop" }, "billing").source, /delete_message[^\n]*# dropped/);
    const auto = ts({ consumer: "auto" }, "billing").source;
    assert.ok(auto.indexOf("// auto: deleted on receipt") < auto.indexOf("await work("), "auto deletes before the work");
    assert.match(auto, /processed\.has\(id\)/);
    assert.match(ts({ consumer: "no-dlq" }, "billing").source, /dropped \(no dead-letter queue\)/);
  });

  it("a consumer subscribes its queue to the scenario's topics and points the scenario's rules at it, like RabbitMQ bindings", () => {
    const code = ts({ consumer: "requeue" }, "billing").source;
    assert.match(code, /await feedQueue\(url\);/);
    assert.match(code, /SetQueueAttributesCommand\(\{ QueueUrl: url, Attributes: \{ Policy: JSON\.stringify\(policy\) \} \}\)/);
    assert.match(code, /TopicArn: \(await sns\.send\(new CreateTopicCommand\(\{ Name: "order-events" \}\)\)\)\.TopicArn,\n\s+Protocol: "sqs",/);
    assert.match(code, /Attributes: \{ RawMessageDelivery: "true", FilterPolicy: "\{\\"type\\":\[\\"created\\"\]\}" \}/);
    assert.match(code, /PutRuleCommand\(\{ Name: "route-orders", EventBusName: "shop", EventPattern: "\{\\"source\\":\[\\"shop\\"\]\}" \}\)/);
    assert.match(code, /PutTargetsCommand\(\{ Rule: "route-orders", EventBusName: "shop", Targets: \[\{ Id: "billing", Arn: queueArn \}\] \}\)/);
    const py = python({ consumer: "requeue" }, "billing").source;
    assert.match(py, /sns = boto3\.client\("sns"[\s\S]*events = boto3\.client\("events"/);
    assert.match(py, /sns\.subscribe\([\s\S]*"RawMessageDelivery": "true"/);
    assert.match(py, /events\.put_targets\(Rule="route-orders", EventBusName="shop", Targets=\[\{"Id": "billing", "Arn": queue_arn\}\]\)/);
    assert.match(py, /^ {4}feed_queue\(url\)$/m);
    assert.doesNotMatch(ts({ consumer: "no-dlq" }, "billing").source, /feedQueue|SNSClient|EventBridgeClient/);
  });

  it("refuses to generate a forward through an Amazon broker, naming the consumer", () => {
    const input = awsInput();
    const services = input.services as { consumers?: Record<string, unknown>[] }[];
    services[1]!.consumers![1]!.forward = { broker: "aws", to: { queue: "audit" } };
    assert.throws(() => generateTypeScript(scenario(input), { service: "billing", consumer: "requeue" }), /consumer "requeue" forwards through an Amazon SQS\/SNS broker/);
  });
});
