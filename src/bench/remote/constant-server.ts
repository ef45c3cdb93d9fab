#!/usr/bin/env node
import { createServer } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import { inferenceService } from '../../kserve/grpc-service.js';
import { BENCH_MODEL } from './bench-model.js';

/**
 * The smallest possible v2 server, for client benchmarks: one model `bench` (input FP32 [-1, 4],
 * output FP32 [-1, 2]) whose answer is a constant. It reads each request fully but does no
 * inference, so a client bench measures the client. Run as a child process (its own core):
 * `node constant-server.js http|grpc`; prints `port N` when listening.
 */

const METADATA = {
  name: BENCH_MODEL,
  versions: ['1'],
  platform: 'constant',
  inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 4] }],
  outputs: [{ name: 'output', datatype: 'FP32', shape: [-1, 2] }],
};

const RESPONSE = Buffer.from(
  JSON.stringify({ model_name: BENCH_MODEL, outputs: [{ name: 'output', datatype: 'FP32', shape: [1, 2], data: [0.25, 0.75] }] }),
);

function startHttp(): void {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === `/v2/models/${BENCH_MODEL}/infer`) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': RESPONSE.byteLength });
        res.end(RESPONSE);
      } else if (req.url === `/v2/models/${BENCH_MODEL}`) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(METADATA));
      } else if (req.url === '/v2/health/ready' || req.url === `/v2/models/${BENCH_MODEL}/ready`) {
        res.writeHead(200);
        res.end();
      } else if (req.url === '/v2/repository/index') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify([{ name: BENCH_MODEL, version: '1', state: 'READY' }]));
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: `no route ${req.method} ${req.url}` }));
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`port ${typeof address === 'object' && address ? address.port : 0}\n`);
  });
}

function startGrpc(): void {
  const server = new grpc.Server();
  const output = Buffer.from(new Float32Array([0.25, 0.75]).buffer);
  type Callback = grpc.sendUnaryData<unknown>;
  server.addService(inferenceService().service, {
    ServerLive: (_call: unknown, done: Callback) => done(null, { live: true }),
    ServerReady: (_call: unknown, done: Callback) => done(null, { ready: true }),
    ModelReady: (_call: unknown, done: Callback) => done(null, { ready: true }),
    ServerMetadata: (_call: unknown, done: Callback) => done(null, { name: 'constant', version: '1', extensions: [] }),
    ModelMetadata: (_call: unknown, done: Callback) => done(null, METADATA),
    RepositoryIndex: (_call: unknown, done: Callback) => done(null, { models: [{ name: BENCH_MODEL, version: '1', state: 'READY', reason: '' }] }),
    ModelInfer: (_call: unknown, done: Callback) =>
      done(null, {
        model_name: BENCH_MODEL,
        outputs: [{ name: 'output', datatype: 'FP32', shape: [1, 2] }],
        raw_output_contents: [output],
      }),
  });
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) throw error;
    process.stdout.write(`port ${port}\n`);
  });
}

if (process.argv[2] === 'grpc') startGrpc();
else startHttp();
