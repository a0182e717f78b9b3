// Makes the stack's CA and RabbitMQ's server certificate without starting anything, for a RabbitMQ
// that runs elsewhere (Docker): `npx tsx stack/tls-certs.ts`. The local stack makes them itself.
import { shown } from "./paths";
import { ensureTlsFiles } from "./services/rabbitmq-tls";

ensureTlsFiles((line) => console.log(line)).then(
  (files) => console.log(`CA certificate: ${shown(files.caFile)}\nserver certificate: ${shown(files.certFile)}\nserver key: ${shown(files.keyFile)} (readable by its owner only)`),
  (error: Error) => {
    console.error(error.message);
    process.exitCode = 1;
  },
);
