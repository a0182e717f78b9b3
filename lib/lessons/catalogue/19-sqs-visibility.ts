// Lesson 19: at-least-once on Amazon SQS: work that outlasts the visibility timeout is done twice.
import type { Lesson } from "../schema";
import { slowRenders } from "../scenarios/aws";

const renders = "resources.aws.queues[0]";

/** A consumer that keeps its message hidden while it works, instead of relying on one long timeout. */
const heartbeat = `import threading
import boto3

sqs = boto3.client("sqs")
url = sqs.get_queue_url(QueueName="renders")["QueueUrl"]

for message in sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20).get("Messages", []):
    handle = message["ReceiptHandle"]
    done = threading.Event()

    def keep_hidden():
        # Every 20 s, ask for another 30 s of invisibility until the work is done.
        while not done.wait(20):
            sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=30)

    threading.Thread(target=keep_hidden, daemon=True).start()
    try:
        render(message["Body"])          # your work, however long it takes
        sqs.delete_message(QueueUrl=url, ReceiptHandle=handle)   # the acknowledgement
    finally:
        done.set()
`;

const heartbeatJava = `SqsClient sqs = SqsClient.create();
String url = sqs.getQueueUrl(b -> b.queueName("renders")).queueUrl();
ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

for (Message message : sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20)).messages()) {
    String handle = message.receiptHandle();
    // Every 20 s, ask for another 30 s of invisibility until the work is done.
    ScheduledFuture<?> keepHidden = timer.scheduleAtFixedRate(
            () -> sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(handle).visibilityTimeout(30)),
            20, 20, TimeUnit.SECONDS);
    try {
        render(message.body());                                          // your work, however long it takes
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(handle));   // the acknowledgement
    } finally {
        keepHidden.cancel(false);
    }
}
timer.shutdown();`;

const heartbeatTypeScript = `import { ChangeMessageVisibilityCommand, DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";

const sqs = new SQSClient({});
const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "renders" }));
const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));

for (const message of Messages) {
  const ReceiptHandle = message.ReceiptHandle;
  // Every 20 s, ask for another 30 s of invisibility until the work is done.
  const keepHidden = setInterval(() => {
    sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout: 30 })).catch((error) => console.warn("not extended:", error));
  }, 20_000);
  try {
    await render(message.Body ?? "");                                     // your work, however long it takes
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle })); // the acknowledgement
  } finally {
    clearInterval(keepHidden);
  }
}`;

export const sqsVisibility: Lesson = {
  id: "sqs-visibility-timeout",
  number: 19,
  kind: "lesson",
  title: "Amazon SQS: at-least-once and the visibility timeout",
  summary: "SQS has no acknowledgement: a received message is only hidden for a while. Work longer than that and another receive gets it too; give the work enough time and it is done once.",
  brokers: ["aws"],
  minutes: 15,
  intro:
    "An SQS consumer does not hold a message the way a RabbitMQ consumer does. **ReceiveMessage** hands it out and hides it for the queue's **visibility timeout**; the consumer deletes it when the work is done, and that delete is the acknowledgement. If the consumer crashes, nothing needs to be noticed: the timeout runs out and the message is visible again, so nothing is lost. The same rule has a cost: if the work simply takes longer than the timeout, SQS assumes the consumer is gone and hands the message out again while the first copy is still being worked on. That is at-least-once delivery on SQS.",
  steps: [
    {
      id: "too-short",
      title: "Work longer than the timeout: duplicates",
      body: `upload-service queues 20 videos on \`renders\`. render-service takes **2.5 seconds** per render and deletes the message afterwards, but the queue hides a received message for **1 second** only (\`visibilityTimeout: 1s\`).

**Predict**, then **Start** (about 10 seconds). The ledger counts a message processed more than once by the same consumer as a duplicate; the run panel shows render-service's \`redelivered\` count climbing.`,
      scenario: { yaml: slowRenders },
      predict: {
        prompt: "Each render takes 2.5 s; the visibility timeout is 1 s. Will any video be rendered twice?",
        metric: "ledger.duplicated",
        options: [
          { text: "No: SQS hands each message to one consumer, once", min: 0, max: 0 },
          { text: "Yes: a message still being rendered becomes visible again and is received a second time", min: 1 },
        ],
        explanation: "Receiving does not lock a message in SQS; it only hides it for the visibility timeout. After 1 s the video is visible again, the next long poll receives it, and a second render starts while the first is still running. Only a delete removes it, and the first delete comes 2.5 s after the first receive.",
      },
      check: {
        id: "rendered-twice",
        kind: "all",
        label: "Renders outlasted the visibility timeout and were done twice",
        checks: [
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "render-service received messages again (redelivered)", path: "consumers.render-service/render.redelivered", op: ">", value: 0 },
          { kind: "ledger", label: "Some videos were rendered more than once", field: "duplicated", op: ">", value: 0 },
          { kind: "ledger", label: "…and none was lost", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: ["Answer the prediction, then press Start and wait for the run to finish."],
      quiz: [
        {
          id: "sqs-ack",
          prompt: "What plays the part of the acknowledgement for an SQS consumer?",
          options: [
            { text: "Receiving the message" },
            { text: "Deleting the message (DeleteMessage) after the work", correct: true },
            { text: "Letting the visibility timeout run out" },
            { text: "Nothing: SQS delivers each message exactly once" },
          ],
          explanation: "A received message stays in the queue, hidden. Deleting it says \"done\"; letting its timeout run out says \"try again\", which is how a failed or crashed consumer's message comes back. Deleting right on receive instead (ack: auto) trades duplicates for possible loss.",
        },
      ],
    },
    {
      id: "long-enough",
      title: "Give the work enough time",
      body: `Raise the visibility timeout of \`renders\` above the time a render takes, with room to spare: at least **5 s** (the SQS default is 30 s). Then **Start** again.

Now each video stays hidden until render-service deletes it, so no second receive happens. When the work time varies a lot, real consumers do not pick a huge timeout; they extend it while they work (ChangeMessageVisibility, a "heartbeat") and keep the consumer idempotent for the duplicates that can still occur.`,
      solution: { patch: [{ set: `${renders}.visibilityTimeout`, value: "30s" }] },
      check: {
        id: "rendered-once",
        kind: "all",
        label: "With a longer timeout every video was rendered exactly once",
        checks: [
          { kind: "scenario", label: "renders hides a received message for at least 5 s", path: `${renders}.visibilityTimeout`, op: ">=", value: 5000 },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "ledger", label: "All 20 videos were rendered", field: "consumed", op: ">=", value: 20 },
          { kind: "runMetric", label: "No message came back", path: "consumers.render-service/render.redelivered", op: "==", value: 0 },
          { kind: "ledger", label: "No video was rendered twice", field: "duplicated", op: "==", value: 0 },
        ],
      },
      hints: ["Change `visibilityTimeout: 1s` to `visibilityTimeout: 30s` on the renders queue, or use Show me."],
      // Each extends the timeout while the work runs.
      code: [
        { language: "python", label: "Python (boto3)", source: heartbeat },
        { language: "java", label: "Java (AWS SDK for Java 2.x)", source: heartbeatJava },
        { language: "typescript", label: "TypeScript (AWS SDK for JavaScript v3)", source: heartbeatTypeScript },
      ],
      quiz: [
        {
          id: "timeout-too-long",
          prompt: "Why not set every queue's visibility timeout to the 12-hour maximum?",
          options: [
            { text: "SQS charges by the second of visibility timeout" },
            { text: "A message whose consumer crashed would stay hidden for 12 hours before anyone retried it", correct: true },
            { text: "Long timeouts make SQS deliver messages out of order" },
          ],
          explanation: "The timeout is also the retry delay after a crash: the message comes back only when it runs out. Choose a bit more than the normal work time, and extend it while working on the rare long message.",
        },
      ],
    },
  ],
  recap: [
    "SQS hides a received message for the visibility timeout; a delete after the work is the acknowledgement.",
    "Work that outlasts the timeout is handed out again while it runs: duplicates, not losses.",
    "Set the timeout above the normal work time, extend it for long work, and keep consumers idempotent.",
  ],
};
