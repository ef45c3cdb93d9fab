import { parentPort, workerData } from 'node:worker_threads';
import { OrtBackend } from '../backends/ort-backend.js';
import type { SampleTensor } from '../backends/types.js';
import { tensorView } from '../kserve/datatypes.js';
import type { WorkerHello, WorkerJob, WorkerOutput, WorkerReply, WorkerStart } from './worker-protocol.js';

/**
 * One model instance of `mlbench serve --instances N`: its own onnxruntime session on this
 * worker thread, running the batches the server stacks and sends, one at a time.
 */

const port = parentPort;
if (port === null) throw new Error('model-worker.js runs as a worker thread of mlbench serve');
const { options } = workerData as WorkerStart;

let backend: OrtBackend;
try {
  backend = await OrtBackend.create(options);
  const hello: WorkerHello = { kind: 'ready', inputs: backend.inputs, outputs: backend.outputs, dynamicBatch: backend.dynamicBatch };
  port.postMessage(hello);
} catch (error) {
  const hello: WorkerHello = { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  port.postMessage(hello);
  process.exit(0);
}

port.on('message', (job: WorkerJob) => {
  void run(job).then((reply) => port.postMessage(reply, transferList(reply)));
});

async function run(job: WorkerJob): Promise<WorkerReply> {
  const buffers = job.feeds.map((f) => f.buffer);
  try {
    const feeds: Record<string, SampleTensor> = {};
    for (const f of job.feeds) feeds[f.name] = { data: tensorView(f.datatype, f.buffer, 0, f.length), dims: f.dims };
    const startNs = process.hrtime.bigint();
    const batch = await backend.runBatch(feeds);
    const runNs = Number(process.hrtime.bigint() - startNs);
    const outputs: WorkerOutput[] = Object.entries(batch).map(([name, t]) => ({ name, dims: [...t.dims], data: ownBuffer(t.data) }));
    return { id: job.id, ok: true, runNs, outputs, buffers };
  } catch (error) {
    return { id: job.id, ok: false, message: error instanceof Error ? error.message : String(error), buffers };
  }
}

/** The data alone in its ArrayBuffer, so transferring that buffer moves nothing else. */
function ownBuffer<T extends WorkerOutput['data']>(data: T): T {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : (data.slice() as T);
}

function transferList(reply: WorkerReply): ArrayBuffer[] {
  const list = [...reply.buffers];
  if (reply.ok) for (const o of reply.outputs) list.push(o.data.buffer as ArrayBuffer);
  return list;
}
