#!/usr/bin/env node
// GossipSub one-way latency and throughput between two processes of one implementation, measured the same way for
// every implementation that speaks the `sequencer p2p` command line and JSON events (interop/js/node.mjs does too).
// interop/perf.sh runs it for js→js and C#→C# in one go and prints the ratios.
//
//   node interop/js/perf.mjs --name NAME [--messages 1000] [--warmup 100] [--seconds 5] -- COMMAND [ARGS…]
//
// COMMAND ARGS is how to start one node (`node interop/js/node.mjs`, `artifacts/sequencer p2p`). Two are started
// under StrictSign with fixed Ed25519 identities: a listens on 127.0.0.1, b dials it and publishes what this driver
// writes to its stdin; a prints a message event per delivery.
//
// Method. Every payload is 100 bytes and carries the driver's own send timestamp (a monotonic clock of this process),
// taken as the line is written to the publisher's stdin; the receive time is taken when the subscriber's event line
// reaches the driver. So each figure includes one pipe hop and one JSON line on each side — the same work for every
// implementation — on top of publish, sign, Noise, yamux, TCP, verify and delivery.
//   - The mesh has formed once a probe published by b reaches a, plus two heartbeats (2 s).
//   - Latency: `--warmup` messages, then `--messages` messages, each sent only after the previous one arrived.
//   - Throughput: payloads written as fast as the publisher takes them (the pipe's backpressure paces the writer)
//     for `--seconds`; received msg/s counts the deliveries inside that window. Late deliveries and losses are reported.
// Prints one JSON line: {"name":…,"p50Ms":…,"p99Ms":…,"latencyLost":…,"msgPerSec":…,"sent":…,"delivered":…}.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { setImmediate as yieldToEventLoop, setTimeout as sleep } from 'node:timers/promises'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'

const PAYLOAD_BYTES = 100
const TOPIC = 'perf'

const separator = process.argv.indexOf('--')
if (separator < 0 || separator === process.argv.length - 1) {
  process.stderr.write('usage: perf.mjs --name NAME [--messages N] [--warmup N] [--seconds S] -- COMMAND [ARGS…]\n')
  process.exit(2)
}
const { values } = parseArgs({
  args: process.argv.slice(2, separator),
  options: {
    name: { type: 'string' },
    messages: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '5' }
  }
})
const [command, ...commandArgs] = process.argv.slice(separator + 1)
const messageCount = Number(values.messages)
const warmupCount = Number(values.warmup)
const windowMs = Number(values.seconds) * 1000

// libp2p PrivateKey protobufs (seed ‖ public key) of the Ed25519 seeds 0x22×32 and 0x33×32, owner-only as
// `sequencer p2p` requires.
const keys = mkdtempSync(join(tmpdir(), 'sequencer-perf-'))
writeFileSync(join(keys, 'a.key'), Buffer.from('080112402222222222222222222222222222222222222222222222222222222222222222a09aa5f47a6759802ff955f8dc2d2a14a5c99d23be97f864127ff9383455a4f0', 'hex'), { mode: 0o600 })
writeFileSync(join(keys, 'b.key'), Buffer.from('08011240333333333333333333333333333333333333333333333333333333333333333317cb79fb2b4120f2b1ec65e4198d6e08b28e813feb01e4a400839b85e18080ce', 'hex'), { mode: 0o600 })

const now = () => Number(process.hrtime.bigint()) / 1e6 // ms, monotonic

// A payload: kind letter, sequence number and send time, padded to exactly PAYLOAD_BYTES ASCII bytes.
function payload (kind, sequence, sentAt) {
  return `${kind} ${sequence} ${sentAt.toFixed(6)} `.padEnd(PAYLOAD_BYTES, '.')
}

function parsePayload (hex) {
  const [kind, sequence, sentAt] = Buffer.from(hex, 'hex').toString('latin1').split(' ')
  return { kind, sequence: Number(sequence), sentAt: Number(sentAt) }
}

class Node {
  constructor (label, args) {
    this.label = label
    this.child = spawn(command, [...commandArgs, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
    this.stderr = ''
    this.child.stderr.setEncoding('utf8')
    this.child.stderr.on('data', text => { this.stderr = (this.stderr + text).slice(-4000) })
    this.child.stdin.on('error', () => {}) // a node that died is reported by its exit, not by EPIPE
    this.waiters = []
    this.onMessage = null
    this.exited = once(this.child, 'exit')
    this.exited.then(([code, signal]) => {
      for (const waiter of this.waiters.splice(0)) waiter.reject(new Error(`${label} exited (${code ?? signal}) while waiting for ${waiter.what}: ${this.stderr}`))
    })
    createInterface({ input: this.child.stdout }).on('line', line => this.handle(line, now()))
  }

  handle (line, at) {
    let event
    try { event = JSON.parse(line) } catch { return }
    if (event.event === 'message') {
      this.onMessage?.(event, at)
      return
    }
    if (event.event === 'error') process.stderr.write(`perf: ${this.label}: ${event.message}\n`)
    for (const waiter of [...this.waiters]) {
      if (waiter.match(event)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1)
        waiter.resolve(event)
      }
    }
  }

  waitFor (what, match, timeoutMs = 30000) {
    return new Promise((resolve, reject) => {
      const waiter = { what, match, resolve, reject }
      this.waiters.push(waiter)
      setTimeout(() => {
        if (!this.waiters.includes(waiter)) return
        this.waiters.splice(this.waiters.indexOf(waiter), 1)
        reject(new Error(`${this.label}: no ${what} within ${timeoutMs} ms; stderr: ${this.stderr}`))
      }, timeoutMs).unref()
    })
  }

  // Resolves when the pipe has taken the line (waits for 'drain' when it is full).
  async write (line) {
    if (!this.child.stdin.write(line + '\n')) await once(this.child.stdin, 'drain')
  }

  async stop () {
    this.child.stdin.end()
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000)
    await this.exited
    clearTimeout(timer)
  }
}

// The promise's value, or null when it has not settled within ms.
async function withTimeout (promise, ms) {
  let timer
  const expired = new Promise(resolve => { timer = setTimeout(resolve, ms, null) })
  try {
    return await Promise.race([promise, expired])
  } finally {
    clearTimeout(timer)
  }
}

function percentile (sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]
}

async function measure () {
  const subscriber = new Node(`${values.name} subscriber`, ['--key', join(keys, 'a.key'), '--listen', '/ip4/127.0.0.1/tcp/0', '--topic', TOPIC, '--sign', 'strict'])
  let publisher
  try {
    const ready = await subscriber.waitFor('ready', event => event.event === 'ready')
    const address = ready.addrs.find(a => a.startsWith('/ip4/127.0.0.1/'))
    if (address == null) throw new Error(`${values.name} subscriber listens on no 127.0.0.1 address: ${JSON.stringify(ready.addrs)}`)
    const dial = address.includes('/p2p/') ? address : `${address}/p2p/${ready.peerId}`
    publisher = new Node(`${values.name} publisher`, ['--key', join(keys, 'b.key'), '--dial', dial, '--topic', TOPIC, '--sign', 'strict'])
    await Promise.all([
      publisher.waitFor('connected', event => event.event === 'connected'),
      subscriber.waitFor('connected', event => event.event === 'connected')
    ])

    // Mesh: a probe every 200 ms until one arrives, then two heartbeats.
    let probeArrived
    const probed = new Promise(resolve => { probeArrived = resolve })
    subscriber.onMessage = event => { if (parsePayload(event.data).kind === 'P') probeArrived() }
    const probeDeadline = now() + 30000
    let arrived = false
    probed.then(() => { arrived = true })
    for (let probe = 0; !arrived; probe++) {
      if (now() > probeDeadline) throw new Error(`${values.name}: no probe delivered within 30 s`)
      await publisher.write(payload('P', probe, now()))
      await withTimeout(probed, 200)
    }
    await sleep(2000)

    // Latency: one message in flight at a time.
    const latencies = []
    let latencyLost = 0
    for (let i = 0; i < warmupCount + messageCount; i++) {
      const delivered = new Promise(resolve => {
        subscriber.onMessage = (event, at) => {
          const { kind, sequence, sentAt } = parsePayload(event.data)
          if (kind === 'L' && sequence === i) resolve(at - sentAt)
        }
      })
      await publisher.write(payload('L', i, now()))
      const latency = await withTimeout(delivered, 5000)
      if (i < warmupCount) continue
      if (latency == null) latencyLost++
      else latencies.push(latency)
    }
    latencies.sort((x, y) => x - y)

    // Throughput: as fast as the publisher takes lines, for the window.
    let inWindow = 0
    let delivered = 0
    let lastDelivery = now()
    const start = now()
    subscriber.onMessage = (event, at) => {
      if (parsePayload(event.data).kind !== 'T') return
      delivered++
      lastDelivery = at
      if (at - start <= windowMs) inWindow++
    }
    let sent = 0
    while (now() - start < windowMs) {
      await publisher.write(payload('T', sent++, now()))
      // Lets the subscriber's events be read (and timestamped) as they come, not in bursts behind the writes.
      await yieldToEventLoop()
    }
    // Drain: until everything arrived or nothing arrived for 2 s.
    while (delivered < sent && now() - lastDelivery < 2000) await sleep(50)

    return {
      name: values.name,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      latencyLost,
      msgPerSec: inWindow / (windowMs / 1000),
      sent,
      delivered
    }
  } finally {
    await Promise.all([subscriber.stop(), publisher?.stop()])
  }
}

try {
  process.stdout.write(JSON.stringify(await measure()) + '\n')
} catch (err) {
  process.stderr.write(`perf: ${err.message}\n`)
  process.exitCode = 1
} finally {
  rmSync(keys, { recursive: true, force: true })
}
