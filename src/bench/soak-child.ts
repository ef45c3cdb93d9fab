import { soakInProcess } from './soak.js';

/** Entry for soakInChild: `node soak-child.js SECONDS QPS` prints the SoakResult as JSON. */
const [seconds, qps] = process.argv.slice(2).map(Number);
if (!(seconds! > 0 && qps! > 0)) {
  process.stderr.write('usage: soak-child.js SECONDS QPS\n');
  process.exit(2);
}
soakInProcess(seconds!, qps!).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error: unknown) => {
    process.stderr.write(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
