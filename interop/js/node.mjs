#!/usr/bin/env node
// The js-libp2p reference node for the interop tests and interop/perf.sh. Same command line and JSON event lines as
// `sequencer p2p`, so the harness drives either implementation the same way:
//
//   node interop/js/node.mjs --key FILE [--listen MULTIADDR] [--dial MULTIADDR]... --topic T
//                            [--sign strict|nosign] [--muxer-in-noise on|off] [--ping-every SECONDS]
//
// stdout, one JSON object per line:
//   {"event":"ready","peerId":…,"addrs":[…]}          listening (addrs carry /p2p/<id>), subscribed to the topic
//   {"event":"connected","peer":…,"direction":"inbound"|"outbound","encryption":…,"muxer":…,"muxerInNoise":bool}
//   {"event":"disconnected","peer":…}
//   {"event":"message","topic":…,"from":…,"data":"<hex>"}   from = the author (StrictSign) or, under StrictNoSign
//                                                          (no author on the wire), the peer that forwarded it
//   {"event":"ping","peer":…,"rttMs":…}                 only with --ping-every: an answered /ipfs/ping/1.0.0 ping
//   {"event":"error","message":…}
// Each stdin line (without its "\n") is published on the topic as UTF-8. EOF on stdin, SIGTERM or SIGINT stop the node
// cleanly (exit 0). It listens on 127.0.0.1 only.
//
// --muxer-in-noise off makes this node leave stream_muxers out of its Noise handshake payload and ignore the remote's
// list, so yamux is negotiated with multistream-select inside the encrypted channel (on: js's default, the muxer is
// agreed inside Noise whenever both payloads list /yamux/1.0.0). "muxerInNoise" in the connected event says which
// path the connection took.
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { gossipsub } from '@chainsafe/libp2p-gossipsub'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'

function emit (event) {
  process.stdout.write(JSON.stringify(event) + '\n')
}

function fail (message) {
  emit({ event: 'error', message })
  process.stderr.write(`error: ${message}\n`)
  process.exit(1)
}

function parseOptions () {
  let values
  try {
    ({ values } = parseArgs({
      options: {
        key: { type: 'string' },
        listen: { type: 'string', multiple: true, default: [] },
        dial: { type: 'string', multiple: true, default: [] },
        topic: { type: 'string' },
        sign: { type: 'string', default: 'strict' },
        'muxer-in-noise': { type: 'string', default: 'on' },
        'ping-every': { type: 'string' }
      },
      strict: true,
      allowPositionals: false
    }))
  } catch (err) {
    fail(err.message)
  }
  if (values.key == null) fail('--key FILE is required')
  if (values.topic == null || values.topic === '') fail('--topic T is required')
  if (!['strict', 'nosign'].includes(values.sign)) fail(`--sign must be strict or nosign, not ${values.sign}`)
  if (!['on', 'off'].includes(values['muxer-in-noise'])) fail(`--muxer-in-noise must be on or off, not ${values['muxer-in-noise']}`)
  for (const address of values.listen) {
    // A test peer must never be reachable from outside the machine.
    if (!/^\/ip4\/127\.0\.0\.1\/tcp\/\d+$/.test(address)) fail(`--listen ${address}: only /ip4/127.0.0.1/tcp/PORT is allowed`)
  }
  let pingEveryMs
  if (values['ping-every'] != null) {
    const seconds = Number(values['ping-every'])
    if (!(seconds > 0)) fail(`--ping-every must be a positive number of seconds, not ${values['ping-every']}`)
    pingEveryMs = seconds * 1000
  }
  return { ...values, muxerInNoise: values['muxer-in-noise'] === 'on', pingEveryMs }
}

function readPrivateKey (path) {
  try {
    return privateKeyFromProtobuf(readFileSync(path))
  } catch (err) {
    fail(`--key ${path}: ${err.message}`)
  }
}

// Noise as js ships it, observed: records for each secured connection whether the muxer was agreed inside the
// handshake; with inlined negotiation off it also behaves like a peer that never lists a muxer in its payload.
function observedNoise (muxerInNoise, inlinedByPeer) {
  const createNoise = noise()
  return (components) => {
    const encrypter = createNoise(components)
    for (const method of ['secureInbound', 'secureOutbound']) {
      const secure = encrypter[method].bind(encrypter)
      encrypter[method] = async (connection, options) => {
        const secured = await secure(connection, muxerInNoise ? options : { ...options, skipStreamMuxerNegotiation: true })
        inlinedByPeer.set(secured.remotePeer.toString(), secured.streamMuxer != null)
        return secured
      }
    }
    return encrypter
  }
}

const options = parseOptions()
const inlinedByPeer = new Map()

const node = await createLibp2p({
  privateKey: readPrivateKey(options.key),
  addresses: { listen: options.listen },
  transports: [tcp()],
  connectionEncrypters: [observedNoise(options.muxerInNoise, inlinedByPeer)],
  streamMuxers: [yamux()],
  services: {
    identify: identify(),
    ping: ping(),
    pubsub: gossipsub({
      globalSignaturePolicy: options.sign === 'strict' ? 'StrictSign' : 'StrictNoSign',
      allowPublishToZeroTopicPeers: true,
      emitSelf: false,
      // All test peers share 127.0.0.1; js's default colocation penalty would graylist more than ten of them.
      scoreParams: { IPColocationFactorWeight: 0 }
    })
  },
  start: false
}).catch(err => fail(`cannot create the node: ${err.message}`))

node.addEventListener('connection:open', ({ detail: connection }) => {
  const peer = connection.remotePeer.toString()
  emit({
    event: 'connected',
    peer,
    direction: connection.direction,
    encryption: connection.encryption,
    muxer: connection.multiplexer,
    muxerInNoise: inlinedByPeer.get(peer) ?? false
  })
})
node.addEventListener('connection:close', ({ detail: connection }) => {
  emit({ event: 'disconnected', peer: connection.remotePeer.toString() })
})
node.services.pubsub.addEventListener('gossipsub:message', ({ detail }) => {
  const { msg, propagationSource } = detail
  if (msg.topic !== options.topic) return
  emit({
    event: 'message',
    topic: msg.topic,
    from: (msg.type === 'signed' ? msg.from : propagationSource).toString(),
    data: Buffer.from(msg.data).toString('hex')
  })
})

let stopping
function stop () {
  stopping ??= (async () => {
    clearInterval(pingTimer)
    try {
      await node.stop()
    } catch (err) {
      process.stderr.write(`error: stopping: ${err.message}\n`)
      process.exitCode = 1
    }
    // Streams js leaves half-open must not keep the process alive after a clean stop.
    process.exit()
  })()
  return stopping
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
process.on('unhandledRejection', err => emit({ event: 'error', message: `unhandled: ${err?.message ?? err}` }))

let pingTimer
try {
  await node.start()
  node.services.pubsub.subscribe(options.topic)
} catch (err) {
  fail(`cannot start: ${err.message}`)
}
emit({ event: 'ready', peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(address => address.toString()) })

for (const address of options.dial) {
  node.dial(multiaddr(address)).catch(err => emit({ event: 'error', message: `dial ${address}: ${err.message}` }))
}

if (options.pingEveryMs != null) {
  pingTimer = setInterval(() => {
    for (const peer of node.getPeers()) {
      node.services.ping.ping(peer)
        .then(rttMs => emit({ event: 'ping', peer: peer.toString(), rttMs }))
        .catch(err => emit({ event: 'error', message: `ping ${peer}: ${err.message}` }))
    }
  }, options.pingEveryMs)
}

async function publish (line) {
  try {
    await node.services.pubsub.publish(options.topic, Buffer.from(line, 'utf8'))
  } catch (err) {
    emit({ event: 'error', message: `publish: ${err.message}` })
  }
}

// Reading stdin one chunk at a time while each line is published gives the writer backpressure through the pipe.
process.stdin.setEncoding('utf8')
let partial = ''
for await (const chunk of process.stdin) {
  partial += chunk
  let end
  while ((end = partial.indexOf('\n')) >= 0) {
    const line = partial.slice(0, end)
    partial = partial.slice(end + 1)
    await publish(line)
  }
}
if (partial !== '') await publish(partial)
await stop()
